//! Latest quotes: ingested in batches (`POST /api/market/quotes`), kept in the store
//! (the latest per symbol, so embedded mode and restarts keep it), cached in Redis under
//! `{REDIS_CACHE_PREFIX}mkt:qt:{symbol}` for 5 s and in L1, and announced as
//! `price.update` on `events:market` and `events:market:{symbol}`. A quote older than
//! the one stored is ignored everywhere (ingest order across instances does not matter).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::bus::channels::Channel;
use crate::bus::events::{Event, EventBody, PriceUpdate};
use crate::bus::Bus;
use crate::cache::l2::L2;
use crate::cache::Source;
use crate::store::{Quote, Store, StoreError};

/// How long a quote lives in Redis and in L1 (SPEC section 3).
pub const QUOTE_TTL: Duration = Duration::from_secs(5);

/// The quote service; cheap to clone.
#[derive(Clone)]
pub struct Quotes {
    store: Arc<dyn Store>,
    l2: Option<L2>,
    prefix: String,
    l1: moka::future::Cache<String, Arc<Quote>>,
    bus: Arc<dyn Bus>,
}

/// The RFC 3339 text of an epoch-milliseconds time.
pub fn quote_time(ts_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ts_ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Quotes {
    /// Quotes kept in `store`, cached in `l2` under `prefix`, announced on `bus`.
    pub fn new(store: Arc<dyn Store>, l2: Option<L2>, prefix: &str, bus: Arc<dyn Bus>) -> Self {
        let l1 = moka::future::Cache::builder().max_capacity(100_000).time_to_live(QUOTE_TTL).build();
        Self { store, l2, prefix: prefix.to_string(), l1, bus }
    }

    fn key(&self, symbol: &str) -> String {
        format!("{}mkt:qt:{symbol}", self.prefix)
    }

    /// Stores a batch (symbols already validated): the newest quote per symbol, if newer
    /// than the stored one, goes to the store, then Redis and L1, then out as events.
    /// Returns how many were newer than what was stored.
    pub async fn ingest(&self, batch: Vec<Quote>) -> Result<usize, StoreError> {
        let mut newest: HashMap<String, Quote> = HashMap::with_capacity(batch.len());
        for q in batch {
            match newest.get(&q.symbol) {
                Some(kept) if kept.ts > q.ts => {}
                _ => {
                    newest.insert(q.symbol.clone(), q);
                }
            }
        }
        let mut quotes: Vec<Quote> = newest.into_values().collect();
        quotes.sort_by(|a, b| a.symbol.cmp(&b.symbol));
        let stored = self.store.upsert_quotes(&quotes).await?;
        if let Some(l2) = &self.l2 {
            let items: Vec<(String, String)> = stored
                .iter()
                .filter_map(|q| serde_json::to_string(&wire(q)).ok().map(|json| (self.key(&q.symbol), json)))
                .collect();
            // Redis is a 5 s cache here: when it is down, readers use L1 and the store.
            if let Err(e) = l2.set_each(&items, QUOTE_TTL).await {
                tracing::debug!("quotes not cached in Redis: {e}");
            }
        }
        let mut events = Vec::with_capacity(stored.len() * 2);
        for q in &stored {
            self.l1.insert(q.symbol.clone(), Arc::new(q.clone())).await;
            let event = Event::now(EventBody::PriceUpdate(PriceUpdate {
                symbol: q.symbol.clone(),
                price: q.price,
                volume: q.volume,
                ts: quote_time(q.ts),
            }));
            events.push((Channel::Market, event.clone()));
            events.push((Channel::MarketSymbol(q.symbol.clone()), event));
        }
        for failed in self.bus.publish_all(&events).await.into_iter().filter_map(Result::err) {
            tracing::warn!("price.update not published: {failed}");
        }
        Ok(stored.len())
    }

    /// A symbol's latest quote and the tier that had it (`None`: no quote yet).
    pub async fn latest(&self, symbol: &str) -> Result<Option<(Arc<Quote>, Source)>, StoreError> {
        if let Some(q) = self.l1.get(symbol).await {
            return Ok(Some((q, Source::L1)));
        }
        if let Some(l2) = &self.l2 {
            if let Ok(Some(text)) = l2.get(&self.key(symbol)).await {
                if let Some(q) = serde_json::from_str::<WireQuote>(&text).ok().and_then(|w| w.into_quote(symbol)) {
                    let q = Arc::new(q);
                    self.l1.insert(symbol.to_string(), q.clone()).await;
                    return Ok(Some((q, Source::L2)));
                }
            }
        }
        match self.store.quote(symbol).await? {
            Some(q) => {
                let q = Arc::new(q);
                self.l1.insert(symbol.to_string(), q.clone()).await;
                Ok(Some((q, Source::L3)))
            }
            None => Ok(None),
        }
    }
}

/// A quote as JSON (in Redis and on the wire): `ts` in RFC 3339.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct WireQuote {
    /// Symbol.
    pub symbol: String,
    /// Last price.
    pub price: f64,
    /// Volume.
    pub volume: f64,
    /// Quote time, RFC 3339 UTC.
    pub ts: String,
}

impl WireQuote {
    fn into_quote(self, symbol: &str) -> Option<Quote> {
        let ts = chrono::DateTime::parse_from_rfc3339(&self.ts).ok()?.timestamp_millis();
        (self.symbol == symbol).then_some(Quote { symbol: self.symbol, price: self.price, volume: self.volume, ts })
    }
}

/// The wire form of a quote.
pub fn wire(q: &Quote) -> WireQuote {
    WireQuote { symbol: q.symbol.clone(), price: q.price, volume: q.volume, ts: quote_time(q.ts) }
}
