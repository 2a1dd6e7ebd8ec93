//! Assembly of the running parts from the configuration, done once at start-up: the
//! stores, the Redis link (or none: embedded mode) and the tiered cache. Every backend
//! choice is made here and nowhere else.

use std::sync::Arc;

use anyhow::Context;

use crate::cache::l2::L2;
use crate::cache::tiered::{bookkeeping_ttl, CacheOptions};
use crate::cache::TieredCache;
use crate::config::Config;
use crate::lock::local::LocalLocks;
use crate::lock::redis::RedisLocks;
use crate::lock::{LockBackend, LockService};
use crate::redis_link::RedisLink;
use crate::scheduler::SmartScheduler;
use crate::store::{self, Store};

/// The assembled engine parts.
#[derive(Clone)]
pub struct Runtime {
    /// The configuration.
    pub config: Config,
    /// Source store (symbols, bars, jobs).
    pub store: Arc<dyn Store>,
    /// L3 store for indicator history (the same as `store` unless `TIMESERIES_URL` differs).
    pub timeseries: Arc<dyn Store>,
    /// The Redis link, when Redis is configured.
    pub redis: Option<RedisLink>,
    /// The tiered cache.
    pub cache: TieredCache,
    /// Locks: Redis when configured and enabled, in-process otherwise.
    pub locks: LockService,
    /// Check-Lock-Check-Compute over the cache.
    pub scheduler: SmartScheduler,
}

impl Runtime {
    /// Opens everything the configuration names. Redis being down is not an error:
    /// the link connects lazily and the breaker degrades.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        let store = store::open(&config.database_url)
            .await
            .with_context(|| format!("opening the store at {}", crate::config::redact(&config.database_url)))?;
        let timeseries = if config.timeseries_url == config.database_url {
            store.clone()
        } else {
            store::open(&config.timeseries_url).await.with_context(|| {
                format!("opening the time-series store at {}", crate::config::redact(&config.timeseries_url))
            })?
        };
        let redis = match &config.redis {
            Some(rc) => Some(RedisLink::new(rc).context("REDIS_URL")?),
            None => None,
        };
        if let Some(link) = &redis {
            // One round trip now: if Redis is down, say why once and run degraded from
            // the first request on (no component waits for it).
            let _ = link.check().await;
        }
        let l2 = redis.clone().filter(|r| r.config().enable_cache).map(L2::new);
        let pubsub = redis.as_ref().is_some_and(|r| r.config().enable_pubsub);
        let options = CacheOptions::from_config(&config);
        let cache = TieredCache::new(options, store.clone(), timeseries.clone(), l2, pubsub).await;
        if cache.mode() == crate::cache::Mode::Distributed {
            // Invalidations left by writes made while Redis was down, carried out before
            // this process reads anything (long-running ones also do it on every
            // reconnection).
            if let Err(e) = cache.drain_outbox().await {
                tracing::warn!("invalidations queued while Redis was down not carried out yet: {e}");
            }
        }
        let backend: Arc<dyn LockBackend> = match redis.clone().filter(|r| r.config().enable_lock) {
            // Fencing counters outlive every L2 value they fence.
            Some(link) => Arc::new(RedisLocks::new(link).with_fence_ttl(bookkeeping_ttl(config.redis_cache_ttl))),
            None => Arc::new(LocalLocks::new()),
        };
        let locks = LockService::new(backend, &config.lock_prefix, config.lock_timeout);
        let announcements =
            redis.as_ref().filter(|_| pubsub).map(|r| (r.client().clone(), config.pubsub_prefix.clone()));
        let scheduler = SmartScheduler::new(cache.clone(), locks.clone(), store.clone(), announcements);
        Ok(Self { config, store, timeseries, redis, cache, locks, scheduler })
    }
}
