//! The SmartScheduler: each (symbol, indicator, params) computed once across every
//! instance, by Check-Lock-Check-Compute.
//!
//! A read goes through the tiered cache (L1, L2, L3). On a full miss, the loader here:
//! takes the calculation lock without waiting; on success checks L2 again (another
//! instance may have just finished), computes, writes L2 conditionally on the lock's
//! fencing token (a holder whose lock expired cannot overwrite a newer result),
//! announces completion on `{pubsub_prefix}calc:done:{key}`, and releases. A loser does
//! not poll: it subscribes to that channel, checks L2 once more (the winner may already
//! be done), then waits for the announcement, bounded by the lock TTL, and reads L2; if
//! the winner died, the lock has expired by then and the loser takes it.
//!
//! If the lock service or Redis fails, it computes anyway (a possible duplicate is
//! better than a failed request), counts it, and the result is written unfenced.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde::Serialize;

use crate::cache::l2::FencedWrite;
use crate::cache::{
    compute_result, CacheError, IndicatorRequest, IndicatorResult, LoadContext, LoadOutcome, Source, TieredCache,
};
use crate::lock::LockService;
use crate::store::shared_reads::SharedBarReads;
use crate::store::Store;

/// How often a waiting loser checks that the lock holder and Redis are still there.
const WAIT_HEARTBEAT: Duration = Duration::from_secs(1);

/// Counters of the scheduler, for `/metrics`.
#[derive(Debug, Default)]
struct Counters {
    computations: AtomicU64,
    rechecks_after_lock: AtomicU64,
    lock_waits: AtomicU64,
    lock_timeouts: AtomicU64,
    fallbacks: AtomicU64,
    stale_writes: AtomicU64,
}

/// A snapshot of the scheduler's counters.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SchedulerStats {
    /// Indicator computations done by this process.
    pub computations: u64,
    /// Values found in L2 after taking the lock (another instance had just finished).
    pub rechecks_after_lock: u64,
    /// Times this process waited for another instance's computation.
    pub lock_waits: u64,
    /// Waits that ended at the bound without an announcement.
    pub lock_timeouts: u64,
    /// Computations done without a lock because the lock service failed (unfenced).
    pub fallbacks: u64,
    /// Results refused by the fencing token (this holder's lock had expired).
    pub stale_writes: u64,
}

/// The scheduler; cheap to clone.
#[derive(Clone)]
pub struct SmartScheduler {
    cache: TieredCache,
    locks: LockService,
    store: Arc<dyn Store>,
    pubsub: Option<(redis::Client, String)>,
    counters: Arc<Counters>,
    bar_reads: SharedBarReads,
}

impl SmartScheduler {
    /// A scheduler over `cache` and `locks`, computing from the bars in `store`. With
    /// `pubsub` (a Redis client and the channel prefix) losers wait for announcements.
    pub fn new(
        cache: TieredCache,
        locks: LockService,
        store: Arc<dyn Store>,
        pubsub: Option<(redis::Client, String)>,
    ) -> Self {
        Self { cache, locks, store, pubsub, counters: Arc::default(), bar_reads: SharedBarReads::default() }
    }

    /// The cache it reads through.
    pub fn cache(&self) -> &TieredCache {
        &self.cache
    }

    /// The counters.
    pub fn stats(&self) -> SchedulerStats {
        let c = &self.counters;
        SchedulerStats {
            computations: c.computations.load(Ordering::Relaxed),
            rechecks_after_lock: c.rechecks_after_lock.load(Ordering::Relaxed),
            lock_waits: c.lock_waits.load(Ordering::Relaxed),
            lock_timeouts: c.lock_timeouts.load(Ordering::Relaxed),
            fallbacks: c.fallbacks.load(Ordering::Relaxed),
            stale_writes: c.stale_writes.load(Ordering::Relaxed),
        }
    }

    /// One indicator, through the cache and, on a miss, Check-Lock-Check-Compute.
    pub async fn get(&self, req: &IndicatorRequest) -> Result<(Arc<IndicatorResult>, Source), Arc<CacheError>> {
        let this = self.clone();
        let r = req.clone();
        self.cache.get_or_load_with(req, move |ctx| async move { this.check_lock_check_compute(&r, ctx).await }).await
    }

    /// A set of indicators for one symbol: one after the other, or all at once (the
    /// computations themselves run on the blocking pool, over every core).
    pub async fn get_set(
        &self,
        requests: &[IndicatorRequest],
        parallel: bool,
    ) -> Vec<Result<(Arc<IndicatorResult>, Source), Arc<CacheError>>> {
        if parallel {
            futures::future::join_all(requests.iter().map(|r| self.get(r))).await
        } else {
            let mut out = Vec::with_capacity(requests.len());
            for r in requests {
                out.push(self.get(r).await);
            }
            out
        }
    }

    fn resource(req: &IndicatorRequest) -> String {
        format!("calc:{}", crate::cache::keys::result_id(&req.symbol, req.spec.code, &req.params_hash, &req.freq))
    }

    fn done_channel(&self, req: &IndicatorRequest) -> Option<String> {
        self.pubsub.as_ref().map(|(_, prefix)| format!("{prefix}{}:done", Self::resource(req)))
    }

    /// Computes from the stored bars, read now: after the load read their revision
    /// (`ctx.bars_rev`), which labels the result. Computations of the same series at
    /// the same revision share one read.
    async fn compute(&self, req: &IndicatorRequest, ctx: LoadContext) -> Result<IndicatorResult, CacheError> {
        let bars = self.bar_reads.read_all(self.store.as_ref(), &req.symbol, &req.freq, ctx.bars_rev).await?;
        let r = req.clone();
        let value = tokio::task::spawn_blocking(move || compute_result(&r, &bars))
            .await
            .map_err(|e| CacheError::Load(format!("computation stopped: {e}")))??;
        self.counters.computations.fetch_add(1, Ordering::Relaxed);
        let mut value = value;
        value.bars_rev = Some(ctx.bars_rev);
        Ok(value)
    }

    async fn check_lock_check_compute(
        &self,
        req: &IndicatorRequest,
        ctx: LoadContext,
    ) -> Result<LoadOutcome, CacheError> {
        let resource = Self::resource(req);
        let ttl = self.locks.default_ttl();
        loop {
            match self.locks.acquire(&resource, ttl, Duration::ZERO).await {
                Err(e) => {
                    self.counters.fallbacks.fetch_add(1, Ordering::Relaxed);
                    // With the breaker open, Redis being down was already said once.
                    if matches!(e, crate::lock::LockError::Redis(crate::redis_link::LinkError::Open)) {
                        tracing::debug!(resource, "lock unavailable ({e}): computing unfenced");
                    } else {
                        tracing::warn!(resource, "lock unavailable ({e}): computing unfenced");
                    }
                    let value = self.compute(req, ctx).await?;
                    return Ok(LoadOutcome { value, source: Source::Computed, l2_handled: false, cacheable: true });
                }
                Ok(Some(mut guard)) => {
                    guard.start_watchdog();
                    if let Some(found) = self.cache.l2_valid(req, ctx.bars_rev).await {
                        self.counters.rechecks_after_lock.fetch_add(1, Ordering::Relaxed);
                        let _ = guard.release().await;
                        return Ok(LoadOutcome {
                            value: found.as_ref().clone(),
                            source: Source::L2,
                            l2_handled: true,
                            cacheable: true,
                        });
                    }
                    let value = match self.compute(req, ctx).await {
                        Ok(v) => v,
                        Err(e) => {
                            let _ = guard.release().await;
                            return Err(e);
                        }
                    };
                    // Never over a value L2 holds with more dates (another system's).
                    let written = if ctx.l2_may_take(&value) {
                        self.cache.write_fenced(req, &value, ctx, guard.fence()).await
                    } else {
                        None
                    };
                    self.announce(req).await;
                    let _ = guard.release().await;
                    let (l2_handled, cacheable) = match written {
                        Some(FencedWrite::Written) => (true, true),
                        Some(FencedWrite::StaleFence) => {
                            self.counters.stale_writes.fetch_add(1, Ordering::Relaxed);
                            (true, false)
                        }
                        Some(FencedWrite::Invalidated) => (true, false),
                        None => (false, true),
                    };
                    return Ok(LoadOutcome { value, source: Source::Computed, l2_handled, cacheable });
                }
                Ok(None) => {
                    self.counters.lock_waits.fetch_add(1, Ordering::Relaxed);
                    if let Some(found) = self.wait_for_winner(req, ttl, ctx.bars_rev).await {
                        return Ok(LoadOutcome {
                            value: found.as_ref().clone(),
                            source: Source::L2,
                            l2_handled: true,
                            cacheable: true,
                        });
                    }
                    self.counters.lock_timeouts.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    async fn announce(&self, req: &IndicatorRequest) {
        if let (Some(channel), Some(l2)) = (self.done_channel(req), self.cache.l2()) {
            let mut fields = serde_json::Map::new();
            fields.insert("symbol".into(), req.symbol.clone().into());
            fields.insert("code".into(), req.spec.code.into());
            fields.insert("params_hash".into(), req.params_hash.clone().into());
            fields.insert("freq".into(), req.freq.clone().into());
            let _ = l2.publish(&channel, &crate::bus::events::notice_json("calc.done", fields)).await;
        }
    }

    /// Waits for the lock holder's announcement (bounded by `ttl`) and reads L2. Without
    /// Pub/Sub, waits for the lock itself to become free instead.
    async fn wait_for_winner(
        &self,
        req: &IndicatorRequest,
        ttl: Duration,
        bars_rev: i64,
    ) -> Option<Arc<IndicatorResult>> {
        let mut subscribed = None;
        if let (Some((client, _)), Some(channel)) = (&self.pubsub, self.done_channel(req)) {
            if let Ok(mut ps) = client.get_async_pubsub().await {
                if ps.subscribe(&channel).await.is_ok() {
                    subscribed = Some(ps);
                }
            }
        }
        // Subscribed before this check: an announcement cannot fall between the two.
        if let Some(found) = self.cache.l2_valid(req, bars_rev).await {
            return Some(found);
        }
        match subscribed {
            Some(mut ps) => {
                // Wait for the announcement; once a second, make sure there is still a
                // holder to wait for and a Redis to hear from (a subscription can stay
                // silent when Redis dies), so a waiter never sits out a whole TTL for nothing.
                let resource = Self::resource(req);
                let deadline = tokio::time::Instant::now() + ttl;
                let mut messages = ps.on_message();
                loop {
                    let now = tokio::time::Instant::now();
                    if now >= deadline {
                        break;
                    }
                    match tokio::time::timeout((deadline - now).min(WAIT_HEARTBEAT), messages.next()).await {
                        Ok(_) => break,
                        Err(_) => {
                            if !matches!(self.locks.is_locked(&resource).await, Ok(true)) {
                                break;
                            }
                        }
                    }
                }
            }
            None => {
                if let Ok(Some(guard)) = self.locks.acquire(&Self::resource(req), ttl, ttl).await {
                    let _ = guard.release().await;
                }
            }
        }
        self.cache.l2_valid(req, bars_rev).await
    }
}
