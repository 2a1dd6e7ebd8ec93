//! Assembly of the running parts from the configuration, done once at start-up: the
//! stores, the Redis link (or none: embedded mode) and the tiered cache. Every backend
//! choice is made here and nowhere else.

use std::sync::Arc;

use anyhow::Context;

use crate::cache::l2::L2;
use crate::cache::tiered::CacheOptions;
use crate::cache::TieredCache;
use crate::config::Config;
use crate::redis_link::RedisLink;
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
}

impl Runtime {
    /// Opens everything the configuration names. Redis being down is not an error:
    /// the link connects lazily and the breaker degrades.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        let store = store::open(&config.database_url)
            .await
            .with_context(|| format!("opening the store at {}", config.database_url))?;
        let timeseries = if config.timeseries_url == config.database_url {
            store.clone()
        } else {
            store::open(&config.timeseries_url).await.with_context(|| {
                format!("opening the time-series store at {}", config.timeseries_url)
            })?
        };
        let redis = match &config.redis {
            Some(rc) => Some(RedisLink::new(rc).context("REDIS_URL")?),
            None => None,
        };
        let l2 = redis
            .clone()
            .filter(|r| r.config().enable_cache)
            .map(L2::new);
        let pubsub = redis.as_ref().is_some_and(|r| r.config().enable_pubsub);
        let cache = TieredCache::new(
            CacheOptions::from_config(&config),
            timeseries.clone(),
            l2,
            pubsub,
        );
        Ok(Self {
            config,
            store,
            timeseries,
            redis,
            cache,
        })
    }
}
