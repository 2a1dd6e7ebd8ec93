//! [`TieredCache`]: the read, write and invalidate paths over L1, L2, L3 and a loader.
//! See the module doc of [`crate::cache`] for the rules.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use serde::Serialize;
use tokio::sync::{broadcast, watch, OnceCell};

use super::keys::{generation_key, symbol_pattern};
use super::l2::{GuardedWrite, L2};
use super::{result_to_rows, rows_to_result, CacheError, IndicatorRequest, IndicatorResult, Source};
use crate::redis_link::{BreakerState, BreakerStats};
use crate::store::time::format_ts;
use crate::store::{BarRange, Store, FULL_SERIES};

/// Random extra TTL per L2 key, so that keys written together do not expire together.
pub const TTL_JITTER_SECS: u64 = 300;
/// How often a long-running process polls the store for bars written by others.
pub const CHANGE_POLL: Duration = Duration::from_secs(1);
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
    /// How often the store's change feed is polled (`None`: never; one-shot commands).
    pub change_poll: Option<Duration>,
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
            change_poll: Some(CHANGE_POLL),
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
    /// L2 values found but refused: stale (older bars) or narrower than the request.
    pub l2_refused: u64,
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
    l2_refused: AtomicU64,
    evictions: Arc<AtomicU64>,
}

type Loaded = Result<(Arc<IndicatorResult>, Source), Arc<CacheError>>;

/// A load in flight: its key and the symbol's local generation it started under.
type Flight = (String, u64);

/// What a load knows when it starts. Read before anything that depends on the bars, so
/// a result labelled with `bars_rev` is never newer than its bars.
#[derive(Debug, Clone, Copy)]
pub struct LoadContext {
    /// The symbol's generation in Redis when the load began (`None` when Redis is
    /// unavailable), needed for guarded and fenced writes.
    pub remote_generation: Option<u64>,
    /// The revision of the series when the load began: the loader's result is
    /// labelled with it.
    pub bars_rev: i64,
    /// Dates in a value L2 held for this key that did not answer the request: a result
    /// with fewer dates must not replace it (another system may rely on it).
    pub l2_held_dates: Option<usize>,
}

impl LoadContext {
    /// Whether `value` may go to L2 over what L2 held.
    pub fn l2_may_take(&self, value: &IndicatorResult) -> bool {
        self.l2_held_dates.is_none_or(|held| value.dates.len() >= held)
    }
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

/// What the Redis part of an invalidation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteInvalidation {
    /// No Redis configured: nothing to tell.
    NotConfigured,
    /// L2 emptied for the symbols, generations bumped, other instances told.
    Done,
    /// Redis could not be reached: the store's change feed tells other instances
    /// instead (within [`CacheOptions::change_poll`]), and L2 values are checked
    /// against the bars' revision before use.
    Failed(String),
}

pub(super) struct Inner {
    options: CacheOptions,
    pub(super) l1: moka::future::Cache<String, Arc<IndicatorResult>>,
    unknown: moka::future::Cache<String, ()>,
    l2: Option<L2>,
    /// Symbols, bars and their revisions.
    pub(super) source: Arc<dyn Store>,
    /// The L3 tier.
    timeseries: Arc<dyn Store>,
    /// Per-symbol local generations, bumped by every invalidation of the symbol.
    generations: Mutex<HashMap<String, u64>>,
    /// Bumped whenever L1 is emptied whole: part of every symbol's generation.
    epoch: AtomicU64,
    /// Loads in flight, by key and the generation they started under: a caller that
    /// arrives after an invalidation never joins a load of the old bars.
    inflight: tokio::sync::Mutex<HashMap<Flight, Arc<OnceCell<Loaded>>>>,
    counters: Counters,
    pub(super) instance: String,
    channel: String,
    pub(super) invalidated: broadcast::Sender<String>,
    pub(super) subscriptions: watch::Sender<u64>,
    pub(super) feed_polls: watch::Sender<u64>,
    pending_writes: AtomicU64,
    writes_done: tokio::sync::Notify,
    /// Background L3 writes that may hold a store connection at once: the rest wait
    /// here, so that a burst of computations cannot take every connection from reads.
    l3_write_slots: tokio::sync::Semaphore,
}

/// Background L3 writes running at once (SQLite has one writer; PostgreSQL's pool is
/// shared with reads).
const L3_WRITE_SLOTS: usize = 2;

/// The tiered cache; cheap to clone.
#[derive(Clone)]
pub struct TieredCache {
    pub(super) inner: Arc<Inner>,
}

/// The invalidation message: the symbols whose results are gone, and who sent it (an
/// instance ignores its own). One symbol in `symbol` (older senders) or many in `symbols`.
#[derive(Serialize, serde::Deserialize)]
pub(super) struct Invalidation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) symbol: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) symbols: Vec<String>,
    pub(super) origin: String,
}

/// Above this many symbols an invalidation empties L1 whole instead of one symbol at a time.
const MANY_SYMBOLS: usize = 64;

impl TieredCache {
    /// A cache whose L3 tier is `timeseries`, reading symbols, bars and their revisions
    /// from `source`, with Redis as L2 when given. With `pubsub`, invalidations are
    /// published and received on `{pubsub_prefix}cache:invalidate`. It polls `source`'s
    /// change feed every [`CacheOptions::change_poll`], from the store's revision read
    /// here, before the cache serves anything.
    pub async fn new(
        options: CacheOptions,
        source: Arc<dyn Store>,
        timeseries: Arc<dyn Store>,
        l2: Option<L2>,
        pubsub: bool,
    ) -> Self {
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
        let poll = options.change_poll;
        let inner = Arc::new(Inner {
            options,
            l1,
            unknown,
            l2,
            source,
            timeseries,
            generations: Mutex::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            inflight: tokio::sync::Mutex::new(HashMap::new()),
            counters: Counters { evictions, ..Default::default() },
            instance: format!("{:016x}", rand::random::<u64>()),
            channel,
            invalidated: broadcast::channel(1024).0,
            subscriptions: watch::channel(0).0,
            feed_polls: watch::channel(0).0,
            pending_writes: AtomicU64::new(0),
            writes_done: tokio::sync::Notify::new(),
            l3_write_slots: tokio::sync::Semaphore::new(L3_WRITE_SLOTS),
        });
        if pubsub {
            if let Some(l2) = &inner.l2 {
                tokio::spawn(super::watch::subscribe_loop(
                    Arc::downgrade(&inner),
                    l2.link().clone(),
                    inner.channel.clone(),
                ));
            }
        }
        if let Some(every) = poll {
            let start = inner.source.latest_rev().await.ok();
            tokio::spawn(super::watch::watch_change_feed(Arc::downgrade(&inner), every, start));
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

    /// Waits until the change feed has been polled `n` times since start (tests).
    pub async fn wait_feed_polls(&self, n: u64) {
        let mut rx = self.inner.feed_polls.subscribe();
        let _ = rx.wait_for(|&count| count >= n).await;
    }

    /// The number of change-feed polls so far.
    pub fn feed_polls(&self) -> u64 {
        *self.inner.feed_polls.borrow()
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
            l2_refused: c.l2_refused.load(Ordering::Relaxed),
            l3: TierStats::new(c.l3_hits.load(Ordering::Relaxed), c.l3_misses.load(Ordering::Relaxed)),
            loads: c.loads.load(Ordering::Relaxed),
            negative_hits: c.negative_hits.load(Ordering::Relaxed),
            l3_write_failures: c.l3_write_failures.load(Ordering::Relaxed),
        }
    }

    /// The symbol's local generation: its own invalidations plus the whole-L1 ones.
    /// Both only grow, so any invalidation since a load began changes the sum.
    fn local_generation(&self, symbol: &str) -> u64 {
        let own = self.inner.generations.lock().map(|g| g.get(symbol).copied().unwrap_or(0)).unwrap_or(0);
        own + self.inner.epoch.load(Ordering::Acquire)
    }

    /// Puts a loaded value in L1 unless its symbol was invalidated since the load began
    /// (`local_gen`). Inserted first and checked after: an invalidation that runs
    /// between a check and an insert would miss the entry, one that runs before the
    /// check is seen by it, and one that runs after the insert removes it.
    async fn l1_put(&self, symbol: &str, key: &str, value: Arc<IndicatorResult>, local_gen: u64) {
        if self.local_generation(symbol) != local_gen {
            return;
        }
        self.inner.l1.insert(key.to_string(), value).await;
        if self.local_generation(symbol) != local_gen {
            self.inner.l1.invalidate(key).await;
        }
    }

    fn ttl_with_jitter(&self) -> Duration {
        self.inner.options.l2_ttl + Duration::from_secs(rand::thread_rng().gen_range(0..=TTL_JITTER_SECS))
    }

    /// How long bookkeeping keys (generations) live: beyond any value they guard.
    fn bookkeeping_ttl(&self) -> Duration {
        bookkeeping_ttl(self.inner.options.l2_ttl)
    }

    /// Reads through the tiers; on a full miss runs `loader` (once per key per process,
    /// however many callers are waiting) and writes the result back. The loader must
    /// read the bars itself (after the load has read their revision).
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
        let flight = (key.clone(), self.local_generation(&req.symbol));
        let cell = {
            let mut map = self.inner.inflight.lock().await;
            map.entry(flight.clone()).or_insert_with(|| Arc::new(OnceCell::new())).clone()
        };
        let result = cell.get_or_init(|| self.load_through(req, &key, flight.1, loader)).await.clone();
        let mut map = self.inner.inflight.lock().await;
        if map.get(&flight).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
            map.remove(&flight);
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
        let prefix = &self.inner.options.prefix;
        let gen_key = generation_key(prefix, &req.symbol);
        l2.set_fenced(
            &self.key(req),
            &gen_key,
            &req.fence_key(prefix),
            generation,
            fence,
            &text,
            self.ttl_with_jitter(),
        )
        .await
        .ok()
    }

    /// The L2 step of a read: the symbol's generation and the decoded value as stored,
    /// in one round trip (nothing checked yet: see [`TieredCache::l2_valid`]). `None`
    /// when there is no L2 or Redis is unavailable.
    pub async fn l2_lookup(&self, req: &IndicatorRequest) -> Option<(u64, Option<IndicatorResult>)> {
        let l2 = self.inner.l2.as_ref()?;
        let key = self.key(req);
        let gen_key = generation_key(&self.inner.options.prefix, &req.symbol);
        let (generation, value) = l2.get_with_generation(&key, &gen_key).await.ok()?;
        let decoded = value.and_then(|text| match serde_json::from_str::<IndicatorResult>(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!(key, "undecodable L2 value ignored: {e}");
                None
            }
        });
        Some((generation, decoded))
    }

    /// The value L2 holds for `req`, if it answers the request at revision `bars_rev`.
    pub async fn l2_valid(&self, req: &IndicatorRequest, bars_rev: i64) -> Option<Arc<IndicatorResult>> {
        let (_, found) = self.l2_lookup(req).await?;
        self.answers(req, found?, bars_rev).await.ok()
    }

    /// Whether a cached `value` answers `req` (every bar of the series at revision
    /// `bars_rev`): `Ok` with the value, completed, or `Err` with its date count.
    ///
    /// A value with a revision answers only at that revision. A value without one
    /// (written by another system) answers when its dates are exactly the stored bars'
    /// (the same count, first and last) and no invalidation of the symbol is waiting in
    /// the outbox (bars rewritten while Redis was down); it is then completed from the
    /// request.
    async fn answers(
        &self,
        req: &IndicatorRequest,
        mut value: IndicatorResult,
        bars_rev: i64,
    ) -> Result<Arc<IndicatorResult>, usize> {
        let dates = value.dates.len();
        let covers = req.shapes(&value)
            && !value.dates.is_empty()
            && match value.bars_rev {
                Some(rev) => rev == bars_rev,
                None => match self.inner.source.bar_span(&req.symbol, &req.freq).await {
                    Ok(Some(span)) => {
                        span.bars == dates
                            && value.dates.first() == Some(&format_ts(span.first_ts, &req.freq))
                            && value.dates.last() == Some(&format_ts(span.last_ts, &req.freq))
                            && matches!(self.inner.source.invalidation_queued(&req.symbol).await, Ok(false))
                    }
                    _ => false,
                },
            };
        if !covers {
            self.inner.counters.l2_refused.fetch_add(1, Ordering::Relaxed);
            return Err(dates);
        }
        if value.bars_rev.is_none() {
            req.fill(&mut value);
            value.bars_rev = Some(bars_rev);
        }
        Ok(Arc::new(value))
    }

    async fn load_through<F, Fut>(&self, req: &IndicatorRequest, key: &str, local_gen: u64, loader: F) -> Loaded
    where
        F: FnOnce(LoadContext) -> Fut,
        Fut: Future<Output = Result<LoadOutcome, CacheError>>,
    {
        // The revision first: whatever is read after it (cached values, bars) is at
        // least that new.
        let state =
            self.inner.source.series_state(&req.symbol, &req.freq).await.map_err(|e| Arc::new(CacheError::Store(e)))?;
        if !state.symbol_known {
            self.inner.unknown.insert(req.symbol.clone(), ()).await;
            return Err(Arc::new(CacheError::UnknownSymbol(req.symbol.clone())));
        }
        let Some(bars_rev) = state.rev else {
            // No bars at this frequency: an empty answer, which no tier keeps.
            return Ok((Arc::new(req.empty_result()), Source::Computed));
        };
        let mut ctx = LoadContext { remote_generation: None, bars_rev, l2_held_dates: None };
        // `None` when Redis is unavailable: nothing is written back to L2 by this load.
        if let Some((generation, found)) = self.l2_lookup(req).await {
            ctx.remote_generation = Some(generation);
            if let Some(v) = found {
                match self.answers(req, v, bars_rev).await {
                    Ok(v) => {
                        self.l1_put(&req.symbol, key, v.clone(), local_gen).await;
                        return Ok((v, Source::L2));
                    }
                    Err(dates) => ctx.l2_held_dates = Some(dates),
                }
            }
        }
        let rows = self
            .inner
            .timeseries
            .read_indicator_values(
                &req.symbol,
                req.spec.code,
                &req.params_hash,
                &req.freq,
                FULL_SERIES,
                &BarRange::default(),
            )
            .await
            .map_err(|e| Arc::new(CacheError::Store(e)))?;
        // Every row at the current revision: rows of two writers never mix into one answer.
        let current = !rows.is_empty() && rows.iter().all(|r| r.bars_rev == bars_rev);
        if let Some(v) = rows_to_result(req, &rows).filter(|_| current) {
            self.inner.counters.l3_hits.fetch_add(1, Ordering::Relaxed);
            let v = Arc::new(v);
            let l2_gen = ctx.remote_generation.filter(|_| ctx.l2_may_take(&v));
            self.write_back(req, key, &v, local_gen, l2_gen, false).await;
            return Ok((v, Source::L3));
        }
        self.inner.counters.l3_misses.fetch_add(1, Ordering::Relaxed);
        self.inner.counters.loads.fetch_add(1, Ordering::Relaxed);
        match loader(ctx).await {
            Ok(mut outcome) => {
                if outcome.source == Source::Computed {
                    outcome.value.bars_rev = Some(bars_rev);
                }
                let v = Arc::new(outcome.value);
                // An empty result (no bars yet) is an answer, not data to keep.
                if outcome.cacheable && !v.dates.is_empty() && v.bars_rev == Some(bars_rev) {
                    let l2_gen = if outcome.l2_handled || !ctx.l2_may_take(&v) { None } else { ctx.remote_generation };
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
        self.l1_put(&req.symbol, key, value.clone(), local_gen).await;
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
            // The semaphore is never closed; without a permit the write goes ahead anyway.
            let _slot = this.inner.l3_write_slots.acquire().await.ok();
            this.write_l3(&req, &value, local_gen).await;
            if this.inner.pending_writes.fetch_sub(1, Ordering::AcqRel) == 1 {
                this.inner.writes_done.notify_waiters();
            }
        });
    }

    async fn write_l3(&self, req: &IndicatorRequest, value: &IndicatorResult, local_gen: u64) {
        let rows = result_to_rows(req, value);
        if rows.is_empty() {
            return;
        }
        for attempt in 1..=3u32 {
            if self.local_generation(&req.symbol) != local_gen {
                return;
            }
            match self.inner.timeseries.replace_indicator_values(&rows).await {
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

    /// The Redis generations of `symbols` now (`None` without Redis, or when it is
    /// unavailable): read before a batch reads its bars, so that
    /// [`TieredCache::put_batch_l2`] can refuse what an invalidation made stale meanwhile.
    pub async fn remote_generations(&self, symbols: &[String]) -> Option<HashMap<String, u64>> {
        let l2 = self.inner.l2.as_ref()?;
        let keys: Vec<String> = symbols.iter().map(|s| generation_key(&self.inner.options.prefix, s)).collect();
        let gens = l2.generations(&keys).await.ok()?;
        Some(symbols.iter().cloned().zip(gens).collect())
    }

    /// Fresh, already serialised full-series values of a batch job into L2, `(key,
    /// symbol, json)`, each kept only while its symbol's generation is still the one in
    /// `generations` (read before the bars), in rounds of 1,000, each key with its own
    /// TTL jitter. L1 is left to readers: a batch process fills it with nothing it will
    /// read again. Without Redis this does nothing.
    pub async fn put_batch_l2(&self, items: Vec<(String, String, String)>, generations: &HashMap<String, u64>) {
        let Some(l2) = &self.inner.l2 else { return };
        let prefix = &self.inner.options.prefix;
        let mut writes = items
            .into_iter()
            .filter_map(|(key, symbol, value)| {
                Some(GuardedWrite {
                    key,
                    generation_key: generation_key(prefix, &symbol),
                    generation: *generations.get(&symbol)?,
                    value,
                    ttl: self.ttl_with_jitter(),
                })
            })
            .collect::<Vec<_>>();
        while !writes.is_empty() {
            let rest = writes.split_off(writes.len().min(1000));
            match l2.set_each_then_verify(&writes).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(withdrawn = n, "batch L2 values invalidated meanwhile: withdrawn"),
                Err(e) => {
                    tracing::debug!("batch L2 write skipped: {e}");
                    return;
                }
            }
            writes = rest;
        }
    }

    pub(super) fn drop_local(&self, symbols: &[String]) {
        if let Ok(mut g) = self.inner.generations.lock() {
            for symbol in symbols {
                *g.entry(symbol.clone()).or_insert(0) += 1;
            }
        }
        if symbols.len() > MANY_SYMBOLS {
            self.drop_all();
        } else {
            let prefixes: Vec<String> =
                symbols.iter().map(|s| format!("{}ind:{s}:", self.inner.options.prefix)).collect();
            let _ = self.inner.l1.invalidate_entries_if(move |k, _| prefixes.iter().any(|p| k.starts_with(p)));
        }
        self.inner.unknown.invalidate_all();
    }

    /// Empties L1 whole, and makes every load in flight leave it alone (when the
    /// symbols changed cannot be told one by one).
    pub(super) fn drop_all(&self) {
        self.inner.epoch.fetch_add(1, Ordering::AcqRel);
        self.inner.l1.invalidate_all();
        self.inner.unknown.invalidate_all();
    }

    /// Invalidates every cached result of `symbol` on every instance (see
    /// [`TieredCache::invalidate_many`]).
    pub async fn invalidate(&self, symbol: &str) -> Result<RemoteInvalidation, CacheError> {
        self.invalidate_many(&[symbol.to_string()]).await
    }

    /// Invalidates every cached result of `symbols`: L1, then L2 (SCAN + UNLINK), then
    /// the store's rows, and a message so that every other instance drops its L1
    /// entries. Redis trouble is reported in the outcome, not as an error: the Redis
    /// part waits in the store's outbox until [`TieredCache::drain_outbox`] (and the
    /// change feed and the revision checks cover for it meanwhile); a store failure is
    /// an error.
    pub async fn invalidate_many(&self, symbols: &[String]) -> Result<RemoteInvalidation, CacheError> {
        if symbols.is_empty() {
            return Ok(RemoteInvalidation::Done);
        }
        self.drop_local(symbols);
        let remote = match &self.inner.l2 {
            None => RemoteInvalidation::NotConfigured,
            Some(l2) => match self.invalidate_remote(l2, symbols).await {
                Ok(()) => RemoteInvalidation::Done,
                Err(e) => {
                    // Kept in the store's outbox, carried out once Redis is back.
                    self.inner.source.queue_invalidations(symbols).await?;
                    RemoteInvalidation::Failed(e.to_string())
                }
            },
        };
        self.inner.timeseries.delete_indicator_values(symbols).await?;
        Ok(remote)
    }

    /// Carries out the invalidations Redis could not carry when they were made (see
    /// [`crate::ingest`]): deletes those symbols' L2 values, bumps their generations and
    /// tells every instance, then clears them from the outbox. Returns how many symbols;
    /// nothing to do without Redis.
    pub async fn drain_outbox(&self) -> Result<usize, String> {
        let Some(l2) = &self.inner.l2 else { return Ok(0) };
        let mut done = 0;
        loop {
            let queued = self.inner.source.queued_invalidations(1000).await.map_err(|e| e.to_string())?;
            if queued.is_empty() {
                return Ok(done);
            }
            let (ids, mut symbols): (Vec<i64>, Vec<String>) = queued.into_iter().unzip();
            symbols.sort();
            symbols.dedup();
            self.drop_local(&symbols);
            self.invalidate_remote(l2, &symbols).await.map_err(|e| e.to_string())?;
            self.inner.source.clear_invalidations(&ids).await.map_err(|e| e.to_string())?;
            tracing::info!(symbols = symbols.len(), "invalidations queued while Redis was down carried out");
            done += symbols.len();
        }
    }

    async fn invalidate_remote(&self, l2: &L2, symbols: &[String]) -> Result<(), crate::redis_link::LinkError> {
        let prefix = &self.inner.options.prefix;
        let gens: Vec<String> = symbols.iter().map(|s| generation_key(prefix, s)).collect();
        l2.bump_generations(&gens, self.bookkeeping_ttl()).await?;
        // Every SCAN walks the whole keyspace: one pass for however many symbols.
        if let [one] = symbols {
            l2.delete_pattern(&symbol_pattern(prefix, one)).await?;
        } else {
            let wanted: HashSet<&str> = symbols.iter().map(String::as_str).collect();
            let head = format!("{prefix}ind:");
            l2.delete_matching(&format!("{prefix}ind:*"), |k| {
                k.strip_prefix(&head).and_then(|rest| rest.split(':').next()).is_some_and(|s| wanted.contains(s))
            })
            .await?;
        }
        let msg = match serde_json::to_value(Invalidation {
            symbol: None,
            symbols: symbols.to_vec(),
            origin: self.inner.instance.clone(),
        }) {
            Ok(serde_json::Value::Object(fields)) => crate::bus::events::notice_json("cache.invalidated", fields),
            _ => String::new(),
        };
        l2.publish(&self.inner.channel, &msg).await
    }
}

/// How long bookkeeping keys (generations, fencing counters) live: longer than any
/// value they guard (the L2 TTL plus its jitter), and at least a day.
pub fn bookkeeping_ttl(l2_ttl: Duration) -> Duration {
    (l2_ttl + Duration::from_secs(TTL_JITTER_SECS + 3600)).max(Duration::from_secs(86_400))
}
