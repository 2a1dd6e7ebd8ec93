//! [`TieredCache`]: the read, write and invalidate paths over L1, L2, L3 and a loader.
//! See the module doc of [`crate::cache`] for the rules.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use futures::StreamExt;
use rand::Rng;
use serde::Serialize;
use tokio::sync::{broadcast, watch, OnceCell};

use super::keys::{generation_key, symbol_pattern};
use super::l2::L2;
use super::{result_to_rows, rows_to_result, CacheError, IndicatorRequest, IndicatorResult, Source};
use crate::redis_link::{BreakerState, BreakerStats};
use crate::store::{BarRange, Store};

/// Random extra TTL per L2 key, so that keys written together do not expire together.
pub const TTL_JITTER_SECS: u64 = 300;
/// How long an unknown symbol is remembered as unknown.
pub const NEGATIVE_TTL: Duration = Duration::from_secs(30);

/// `distributed` (Redis up), `embedded` (no Redis configured) or `degraded` (Redis
/// configured but failing: L1 + store only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Redis configured and answering.
    Distributed,
    /// No Redis configured.
    Embedded,
    /// Redis configured but the breaker is open.
    Degraded,
}

/// Settings of a [`TieredCache`].
#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// `REDIS_CACHE_PREFIX`.
    pub prefix: String,
    /// `REDIS_PUBSUB_CHANNEL_PREFIX`.
    pub pubsub_prefix: String,
    /// `CACHE_L1_TTL`.
    pub l1_ttl: Duration,
    /// `CACHE_L1_MAX_ENTRIES`.
    pub l1_max_entries: u64,
    /// `REDIS_CACHE_TTL` (before jitter).
    pub l2_ttl: Duration,
}

impl CacheOptions {
    /// The options of a configuration.
    pub fn from_config(c: &crate::config::Config) -> Self {
        Self {
            prefix: c.cache_prefix.clone(),
            pubsub_prefix: c.pubsub_prefix.clone(),
            l1_ttl: c.l1_ttl,
            l1_max_entries: c.l1_max_entries,
            l2_ttl: c.redis_cache_ttl,
        }
    }
}

/// Per-tier counters for `/api/cache/stats`.
#[derive(Debug, Clone, Serialize)]
pub struct TierStats {
    /// Reads answered by this tier.
    pub hits: u64,
    /// Reads that went past it.
    pub misses: u64,
    /// hits / (hits + misses).
    pub hit_ratio: f64,
}

impl TierStats {
    fn new(hits: u64, misses: u64) -> Self {
        let total = hits + misses;
        Self { hits, misses, hit_ratio: if total == 0 { 0.0 } else { hits as f64 / total as f64 } }
    }
}

/// Everything the cache counts.
#[derive(Debug, Clone, Serialize)]
pub struct CacheStats {
    /// `distributed`, `embedded` or `degraded`.
    pub mode: Mode,
    /// The Redis breaker, when Redis is configured.
    pub breaker: Option<BreakerStats>,
    /// L1 reads.
    pub l1: TierStats,
    /// L1 entries now.
    pub l1_entries: u64,
    /// L1 entries evicted for size.
    pub l1_evictions: u64,
    /// L2 reads (zero without Redis).
    pub l2: TierStats,
    /// L3 reads.
    pub l3: TierStats,
    /// Loader runs (computations).
    pub loads: u64,
    /// Reads refused fast because the symbol is known to be unknown.
    pub negative_hits: u64,
    /// Background L3 writes that failed after every retry.
    pub l3_write_failures: u64,
}

#[derive(Debug, Default)]
struct Counters {
    l1_hits: AtomicU64,
    l1_misses: AtomicU64,
    l3_hits: AtomicU64,
    l3_misses: AtomicU64,
    loads: AtomicU64,
    negative_hits: AtomicU64,
    l3_write_failures: AtomicU64,
    evictions: Arc<AtomicU64>,
}

type Loaded = Result<(Arc<IndicatorResult>, Source), Arc<CacheError>>;

/// What a load knows when it starts: the Redis generation of the symbol (`None` when
/// Redis is unavailable), needed for guarded and fenced writes.
#[derive(Debug, Clone, Copy)]
pub struct LoadContext {
    /// The symbol's generation in Redis when the load began.
    pub remote_generation: Option<u64>,
}

/// What a loader produced.
#[derive(Debug)]
pub struct LoadOutcome {
    /// The value.
    pub value: IndicatorResult,
    /// Where it came from (`computed`, or `l2` when another instance computed it).
    pub source: Source,
    /// The loader already wrote L2 (fenced), or must not (stale): skip L2 in the write-back.
    pub l2_handled: bool,
    /// The value may be cached in L1 and L3 (false when a newer result exists).
    pub cacheable: bool,
}

struct Inner {
    options: CacheOptions,
    l1: moka::future::Cache<String, Arc<IndicatorResult>>,
    unknown: moka::future::Cache<String, ()>,
    l2: Option<L2>,
    store: Arc<dyn Store>,
    generations: Mutex<HashMap<String, u64>>,
    inflight: tokio::sync::Mutex<HashMap<String, Arc<OnceCell<Loaded>>>>,
    counters: Counters,
    instance: String,
    channel: String,
    invalidated: broadcast::Sender<String>,
    subscriptions: watch::Sender<u64>,
    pending_writes: AtomicU64,
    writes_done: tokio::sync::Notify,
}

/// The tiered cache; cheap to clone.
#[derive(Clone)]
pub struct TieredCache {
    inner: Arc<Inner>,
}

#[derive(Serialize, serde::Deserialize)]
struct Invalidation {
    symbol: String,
    origin: String,
}

impl TieredCache {
    /// A cache over `store` (the L3 tier) and, when given, Redis as L2. With
    /// `pubsub`, invalidations are published and received on
    /// `{pubsub_prefix}cache:invalidate`. Must be called inside a Tokio runtime.
    pub fn new(options: CacheOptions, store: Arc<dyn Store>, l2: Option<L2>, pubsub: bool) -> Self {
        let evictions = Arc::new(AtomicU64::new(0));
        let counted = evictions.clone();
        let l1 = moka::future::Cache::builder()
            .max_capacity(options.l1_max_entries)
            .time_to_live(options.l1_ttl.max(Duration::from_millis(1)))
            .support_invalidation_closures()
            .eviction_listener(move |_k, _v, cause| {
                if cause == moka::notification::RemovalCause::Size {
                    counted.fetch_add(1, Ordering::Relaxed);
                }
            })
            .build();
        let unknown = moka::future::Cache::builder().max_capacity(100_000).time_to_live(NEGATIVE_TTL).build();
        let channel = format!("{}cache:invalidate", options.pubsub_prefix);
        let inner = Arc::new(Inner {
            options,
            l1,
            unknown,
            l2,
            store,
            generations: Mutex::new(HashMap::new()),
            inflight: tokio::sync::Mutex::new(HashMap::new()),
            counters: Counters { evictions, ..Default::default() },
            instance: format!("{:016x}", rand::random::<u64>()),
            channel,
            invalidated: broadcast::channel(1024).0,
            subscriptions: watch::channel(0).0,
            pending_writes: AtomicU64::new(0),
            writes_done: tokio::sync::Notify::new(),
        });
        if pubsub {
            if let Some(l2) = &inner.l2 {
                tokio::spawn(subscribe_loop(Arc::downgrade(&inner), l2.link().client().clone(), inner.channel.clone()));
            }
        }
        Self { inner }
    }

    /// The L2 key of a request.
    pub fn key(&self, req: &IndicatorRequest) -> String {
        req.key(&self.inner.options.prefix)
    }

    /// The L2 service, when Redis is configured.
    pub fn l2(&self) -> Option<&L2> {
        self.inner.l2.as_ref()
    }

    /// True when an L2 tier is configured (up or not).
    pub fn has_l2(&self) -> bool {
        self.inner.l2.is_some()
    }

    /// Current mode.
    pub fn mode(&self) -> Mode {
        match &self.inner.l2 {
            None => Mode::Embedded,
            Some(l2) if l2.link().breaker().state() == BreakerState::Closed => Mode::Distributed,
            Some(_) => Mode::Degraded,
        }
    }

    /// Symbols invalidated by other instances, as they arrive (for observers and tests).
    pub fn remote_invalidations(&self) -> broadcast::Receiver<String> {
        self.inner.invalidated.subscribe()
    }

    /// Waits until the invalidation subscription has been (re)established `n` times.
    pub async fn wait_subscribed(&self, n: u64) {
        let mut rx = self.inner.subscriptions.subscribe();
        let _ = rx.wait_for(|&count| count >= n).await;
    }

    /// Whether L1 holds the key now.
    pub fn l1_contains(&self, key: &str) -> bool {
        self.inner.l1.contains_key(key)
    }

    /// The counters.
    pub fn stats(&self) -> CacheStats {
        let c = &self.inner.counters;
        let (l2_hits, l2_misses) = self.inner.l2.as_ref().map_or((0, 0), |l2| {
            (l2.counters().hits.load(Ordering::Relaxed), l2.counters().misses.load(Ordering::Relaxed))
        });
        CacheStats {
            mode: self.mode(),
            breaker: self.inner.l2.as_ref().map(|l2| l2.link().breaker().stats()),
            l1: TierStats::new(c.l1_hits.load(Ordering::Relaxed), c.l1_misses.load(Ordering::Relaxed)),
            l1_entries: self.inner.l1.entry_count(),
            l1_evictions: c.evictions.load(Ordering::Relaxed),
            l2: TierStats::new(l2_hits, l2_misses),
            l3: TierStats::new(c.l3_hits.load(Ordering::Relaxed), c.l3_misses.load(Ordering::Relaxed)),
            loads: c.loads.load(Ordering::Relaxed),
            negative_hits: c.negative_hits.load(Ordering::Relaxed),
            l3_write_failures: c.l3_write_failures.load(Ordering::Relaxed),
        }
    }

    fn local_generation(&self, symbol: &str) -> u64 {
        self.inner.generations.lock().map(|g| g.get(symbol).copied().unwrap_or(0)).unwrap_or(0)
    }

    fn ttl_with_jitter(&self) -> Duration {
        self.inner.options.l2_ttl + Duration::from_secs(rand::thread_rng().gen_range(0..=TTL_JITTER_SECS))
    }

    /// Reads through the tiers; on a full miss runs `loader` (once per key per process,
    /// however many callers are waiting) and writes the result back.
    pub async fn get_or_load<F, Fut>(&self, req: &IndicatorRequest, loader: F) -> Loaded
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<IndicatorResult, CacheError>>,
    {
        self.get_or_load_with(req, |_ctx| async move {
            Ok(LoadOutcome { value: loader().await?, source: Source::Computed, l2_handled: false, cacheable: true })
        })
        .await
    }

    /// [`TieredCache::get_or_load`] with a loader that sees the [`LoadContext`] and may
    /// have written L2 itself (the scheduler's fenced write).
    pub async fn get_or_load_with<F, Fut>(&self, req: &IndicatorRequest, loader: F) -> Loaded
    where
        F: FnOnce(LoadContext) -> Fut,
        Fut: Future<Output = Result<LoadOutcome, CacheError>>,
    {
        let key = self.key(req);
        if let Some(v) = self.inner.l1.get(&key).await {
            self.inner.counters.l1_hits.fetch_add(1, Ordering::Relaxed);
            return Ok((v, Source::L1));
        }
        self.inner.counters.l1_misses.fetch_add(1, Ordering::Relaxed);
        if self.inner.unknown.contains_key(&req.symbol) {
            self.inner.counters.negative_hits.fetch_add(1, Ordering::Relaxed);
            return Err(Arc::new(CacheError::UnknownSymbol(req.symbol.clone())));
        }
        let cell = {
            let mut map = self.inner.inflight.lock().await;
            map.entry(key.clone()).or_insert_with(|| Arc::new(OnceCell::new())).clone()
        };
        let result = cell.get_or_init(|| self.load_through(req, &key, loader)).await.clone();
        let mut map = self.inner.inflight.lock().await;
        if map.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            map.remove(&key);
        }
        result
    }

    /// The fenced L2 write of a freshly computed value (under a lock with fencing token
    /// `fence`). `None` when Redis is unavailable or not configured.
    pub async fn write_fenced(
        &self,
        req: &IndicatorRequest,
        value: &IndicatorResult,
        ctx: LoadContext,
        fence: u64,
    ) -> Option<super::l2::FencedWrite> {
        let l2 = self.inner.l2.as_ref()?;
        let generation = ctx.remote_generation?;
        let text = serde_json::to_string(value).ok()?;
        let gen_key = generation_key(&self.inner.options.prefix, &req.symbol);
        l2.set_fenced(&self.key(req), &gen_key, generation, fence, &text, self.ttl_with_jitter()).await.ok()
    }

    /// The L2 step of a read: the symbol's generation and the decoded value, in one
    /// round trip. `None` when there is no L2 or Redis is unavailable.
    pub async fn l2_lookup(&self, req: &IndicatorRequest) -> Option<(u64, Option<Arc<IndicatorResult>>)> {
        let l2 = self.inner.l2.as_ref()?;
        let key = self.key(req);
        let gen_key = generation_key(&self.inner.options.prefix, &req.symbol);
        let (generation, value) = l2.get_with_generation(&key, &gen_key).await.ok()?;
        let decoded = value.and_then(|text| match serde_json::from_str::<IndicatorResult>(&text) {
            Ok(v) => Some(Arc::new(v)),
            Err(e) => {
                tracing::warn!(key, "undecodable L2 value ignored: {e}");
                None
            }
        });
        Some((generation, decoded))
    }

    async fn load_through<F, Fut>(&self, req: &IndicatorRequest, key: &str, loader: F) -> Loaded
    where
        F: FnOnce(LoadContext) -> Fut,
        Fut: Future<Output = Result<LoadOutcome, CacheError>>,
    {
        let local_gen = self.local_generation(&req.symbol);
        // The remote generation is read before anything is loaded; `None` when Redis is
        // unavailable, in which case nothing is written back to L2 by this load.
        let mut remote_gen = None;
        if let Some((generation, found)) = self.l2_lookup(req).await {
            remote_gen = Some(generation);
            if let Some(v) = found {
                if self.local_generation(&req.symbol) == local_gen {
                    self.inner.l1.insert(key.to_string(), v.clone()).await;
                }
                return Ok((v, Source::L2));
            }
        }
        let rows = self
            .inner
            .store
            .read_indicator_values(&req.symbol, req.spec.code, &req.params_hash, &req.freq, &BarRange::default())
            .await
            .map_err(|e| Arc::new(CacheError::Store(e)))?;
        if let Some(v) = rows_to_result(req, &rows) {
            self.inner.counters.l3_hits.fetch_add(1, Ordering::Relaxed);
            let v = Arc::new(v);
            self.write_back(req, key, &v, local_gen, remote_gen, false).await;
            return Ok((v, Source::L3));
        }
        self.inner.counters.l3_misses.fetch_add(1, Ordering::Relaxed);
        self.inner.counters.loads.fetch_add(1, Ordering::Relaxed);
        match loader(LoadContext { remote_generation: remote_gen }).await {
            Ok(outcome) => {
                let v = Arc::new(outcome.value);
                if outcome.cacheable {
                    let l2_gen = if outcome.l2_handled { None } else { remote_gen };
                    self.write_back(req, key, &v, local_gen, l2_gen, outcome.source == Source::Computed).await;
                }
                Ok((v, outcome.source))
            }
            Err(CacheError::UnknownSymbol(s)) => {
                self.inner.unknown.insert(s.clone(), ()).await;
                Err(Arc::new(CacheError::UnknownSymbol(s)))
            }
            Err(e) => Err(Arc::new(e)),
        }
    }

    /// Writes a loaded value to the tiers above where it came from, unless the symbol was
    /// invalidated since the load began (the generation guard).
    async fn write_back(
        &self,
        req: &IndicatorRequest,
        key: &str,
        value: &Arc<IndicatorResult>,
        local_gen: u64,
        remote_gen: Option<u64>,
        to_l3: bool,
    ) {
        if self.local_generation(&req.symbol) != local_gen {
            tracing::debug!(key, "invalidated while loading: not written back");
            return;
        }
        if let (Some(l2), Some(generation)) = (&self.inner.l2, remote_gen) {
            match serde_json::to_string(value.as_ref()) {
                Ok(text) => {
                    let gen_key = generation_key(&self.inner.options.prefix, &req.symbol);
                    // Err: Redis failed; L1 and L3 are still written, L2 refills later.
                    if let Ok(false) =
                        l2.set_if_generation(key, &gen_key, generation, &text, self.ttl_with_jitter()).await
                    {
                        tracing::debug!(key, "invalidated elsewhere while loading: not written back");
                        return;
                    }
                }
                Err(e) => tracing::warn!(key, "result not serialisable: {e}"),
            }
        }
        self.inner.l1.insert(key.to_string(), value.clone()).await;
        if to_l3 {
            self.spawn_l3_write(req, value.clone(), local_gen);
        }
    }

    /// Writes the store tier in the background: retried, and logged and counted if it
    /// still fails, so a lost write is never silent.
    fn spawn_l3_write(&self, req: &IndicatorRequest, value: Arc<IndicatorResult>, local_gen: u64) {
        let this = self.clone();
        let req = req.clone();
        self.inner.pending_writes.fetch_add(1, Ordering::AcqRel);
        tokio::spawn(async move {
            this.write_l3(&req, &value, local_gen).await;
            if this.inner.pending_writes.fetch_sub(1, Ordering::AcqRel) == 1 {
                this.inner.writes_done.notify_waiters();
            }
        });
    }

    async fn write_l3(&self, req: &IndicatorRequest, value: &IndicatorResult, local_gen: u64) {
        let rows = result_to_rows(req, value);
        for attempt in 1..=3u32 {
            if self.local_generation(&req.symbol) != local_gen {
                return;
            }
            match self.inner.store.upsert_indicator_values(&rows).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::warn!(symbol = %req.symbol, code = req.spec.code, attempt, "L3 write failed: {e}");
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                }
            }
        }
        self.inner.counters.l3_write_failures.fetch_add(1, Ordering::Relaxed);
        tracing::error!(symbol = %req.symbol, code = req.spec.code, "L3 write lost after 3 attempts");
    }

    /// Waits until every background L3 write started so far has finished (shutdown).
    pub async fn flush(&self) {
        loop {
            let done = self.inner.writes_done.notified();
            if self.inner.pending_writes.load(Ordering::Acquire) == 0 {
                return;
            }
            done.await;
        }
    }

    /// Fresh, already serialised values of a batch job into L2, in pipelined rounds,
    /// each key with its own TTL jitter. L1 is left to readers: a batch process fills it
    /// with nothing it will read again. Without Redis this does nothing.
    pub async fn put_batch_l2(&self, items: Vec<(String, String)>) {
        let Some(l2) = &self.inner.l2 else { return };
        let mut items = items.into_iter().map(|(k, v)| (k, v, self.ttl_with_jitter())).collect::<Vec<_>>();
        while !items.is_empty() {
            let rest = items.split_off(items.len().min(1000));
            if let Err(e) = l2.mset_each(&items).await {
                tracing::debug!("batch L2 write skipped: {e}");
                return;
            }
            items = rest;
        }
    }

    /// Write-through of a fresh value: L1 and L2 now, L3 in the background.
    pub async fn put(&self, req: &IndicatorRequest, value: IndicatorResult) {
        let key = self.key(req);
        let value = Arc::new(value);
        if let Some(l2) = &self.inner.l2 {
            if let Ok(text) = serde_json::to_string(value.as_ref()) {
                let _ = l2.set(&key, &text, self.ttl_with_jitter()).await;
            }
        }
        self.inner.l1.insert(key, value.clone()).await;
        self.spawn_l3_write(req, value, self.local_generation(&req.symbol));
    }

    fn drop_local(&self, symbol: &str) {
        if let Ok(mut g) = self.inner.generations.lock() {
            *g.entry(symbol.to_string()).or_insert(0) += 1;
        }
        let prefix = format!("{}ind:{symbol}:", self.inner.options.prefix);
        let _ = self.inner.l1.invalidate_entries_if(move |k, _| k.starts_with(&prefix));
        self.inner.unknown.invalidate_all();
    }

    /// Invalidates every cached result of `symbol`: L1, then L2, then the store's rows,
    /// on every instance. Redis trouble is logged, not returned; a store failure is.
    pub async fn invalidate(&self, symbol: &str) -> Result<(), CacheError> {
        self.drop_local(symbol);
        if let Some(l2) = &self.inner.l2 {
            let prefix = &self.inner.options.prefix;
            let steps = async {
                l2.bump_generation(&generation_key(prefix, symbol)).await?;
                l2.delete_pattern(&symbol_pattern(prefix, symbol)).await?;
                let msg = serde_json::to_string(&Invalidation {
                    symbol: symbol.to_string(),
                    origin: self.inner.instance.clone(),
                })
                .unwrap_or_default();
                l2.publish(&self.inner.channel, &msg).await
            };
            if let Err(e) = steps.await {
                tracing::warn!(
                    symbol,
                    "redis part of the invalidation skipped ({e}); other instances expire by L1 TTL"
                );
            }
        }
        self.inner.store.delete_indicator_values(symbol).await?;
        Ok(())
    }
}

/// Receives invalidations from other instances until the cache is dropped; after every
/// reconnection it empties L1, since messages sent meanwhile were lost.
async fn subscribe_loop(inner: Weak<Inner>, client: redis::Client, channel: String) {
    let mut subscribed_before = false;
    loop {
        if let Ok(mut pubsub) = client.get_async_pubsub().await {
            if pubsub.subscribe(&channel).await.is_ok() {
                let Some(strong) = inner.upgrade() else {
                    return;
                };
                if subscribed_before {
                    strong.l1.invalidate_all();
                    tracing::info!("invalidation channel back: L1 emptied (messages may have been missed)");
                }
                subscribed_before = true;
                strong.subscriptions.send_modify(|n| *n += 1);
                drop(strong);
                let mut messages = pubsub.on_message();
                while let Some(msg) = messages.next().await {
                    let Some(strong) = inner.upgrade() else {
                        return;
                    };
                    let Ok(payload) = msg.get_payload::<String>() else {
                        continue;
                    };
                    let Ok(inv) = serde_json::from_str::<Invalidation>(&payload) else {
                        continue;
                    };
                    if inv.origin != strong.instance {
                        TieredCache { inner: strong.clone() }.drop_local(&inv.symbol);
                        let _ = strong.invalidated.send(inv.symbol);
                    }
                }
            }
        }
        if inner.strong_count() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
