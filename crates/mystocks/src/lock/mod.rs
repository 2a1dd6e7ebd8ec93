//! Locks: one [`LockService`] over two backends chosen at start-up, Redis
//! ([`redis::RedisLocks`]: `SET NX PX` with a random token, Lua compare-and-delete
//! release, Lua compare-and-pexpire extend) and in-process ([`local::LocalLocks`], the
//! same semantics for embedded mode).
//!
//! Every successful acquire also returns a fencing token: a number that only grows per
//! resource, so that a holder whose lock expired can be refused when it writes late
//! (see `L2::set_fenced`). A [`LockGuard`] can run a watchdog that keeps extending the
//! lock while the work runs (as Redisson does); dropping the guard stops the watchdog
//! and releases the lock in the background, never blocking the async runtime.

pub mod local;
pub mod redis;

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use thiserror::Error;

use crate::redis_link::LinkError;

/// Why a lock operation failed (not: the lock is held by someone else).
#[derive(Debug, Error)]
pub enum LockError {
    /// The Redis backend is unavailable.
    #[error(transparent)]
    Redis(#[from] LinkError),
}

/// Who holds a lock and for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockInfo {
    /// The holder's token.
    pub token: String,
    /// Time left before it expires.
    pub remaining: Duration,
}

/// The operations a backend provides, on full lock keys.
#[async_trait]
pub trait LockBackend: Send + Sync {
    /// `local` or `redis`.
    fn name(&self) -> &'static str;
    /// Takes the lock if free; returns the new fencing token.
    async fn try_acquire(&self, key: &str, token: &str, ttl: Duration) -> Result<Option<u64>, LockError>;
    /// Releases if `token` still holds it; returns whether it did.
    async fn release(&self, key: &str, token: &str) -> Result<bool, LockError>;
    /// Extends to `ttl` from now if `token` still holds it.
    async fn extend(&self, key: &str, token: &str, ttl: Duration) -> Result<bool, LockError>;
    /// Current holder.
    async fn info(&self, key: &str) -> Result<Option<LockInfo>, LockError>;
}

/// The lock service: key naming, waiting, guards.
#[derive(Clone)]
pub struct LockService {
    backend: Arc<dyn LockBackend>,
    prefix: String,
    default_ttl: Duration,
}

impl LockService {
    /// A service on `backend`, with keys under `prefix` (`REDIS_LOCK_PREFIX`).
    pub fn new(backend: Arc<dyn LockBackend>, prefix: &str, default_ttl: Duration) -> Self {
        Self { backend, prefix: prefix.to_string(), default_ttl }
    }

    /// `local` or `redis`.
    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// The default TTL (`REDIS_LOCK_DEFAULT_TIMEOUT`).
    pub fn default_ttl(&self) -> Duration {
        self.default_ttl
    }

    /// The full key of a resource.
    pub fn key(&self, resource: &str) -> String {
        format!("{}{resource}", self.prefix)
    }

    /// Tries to take `resource` for `ttl`, retrying for up to `wait`. `Ok(None)` when
    /// someone else held it the whole time.
    pub async fn acquire(&self, resource: &str, ttl: Duration, wait: Duration) -> Result<Option<LockGuard>, LockError> {
        let key = self.key(resource);
        let token = format!("{:032x}", rand::random::<u128>());
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(5);
        loop {
            if let Some(fence) = self.backend.try_acquire(&key, &token, ttl).await? {
                return Ok(Some(LockGuard {
                    backend: self.backend.clone(),
                    key,
                    token,
                    fence,
                    ttl,
                    watchdog: None,
                    released: false,
                }));
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            tokio::time::sleep(pause.min(deadline - now)).await;
            pause = (pause * 2).min(Duration::from_millis(100));
        }
    }

    /// Whether `resource` is held.
    pub async fn is_locked(&self, resource: &str) -> Result<bool, LockError> {
        Ok(self.backend.info(&self.key(resource)).await?.is_some())
    }

    /// Holder and remaining TTL of `resource`.
    pub async fn lock_info(&self, resource: &str) -> Result<Option<LockInfo>, LockError> {
        self.backend.info(&self.key(resource)).await
    }

    /// The lock of one batch task (the daily job).
    pub fn batch_resource(task_id: &str) -> String {
        format!("batch:{task_id}")
    }

    /// The lock for updating one resource (e.g. a symbol's bars).
    pub fn update_resource(name: &str) -> String {
        format!("update:{name}")
    }
}

/// A held lock. Release it with [`LockGuard::release`]; dropping it releases it in the
/// background.
pub struct LockGuard {
    backend: Arc<dyn LockBackend>,
    key: String,
    token: String,
    fence: u64,
    ttl: Duration,
    watchdog: Option<tokio::sync::oneshot::Sender<()>>,
    released: bool,
}

impl std::fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockGuard").field("key", &self.key).field("fence", &self.fence).finish_non_exhaustive()
    }
}

impl LockGuard {
    /// The fencing token of this acquisition (grows per resource).
    pub fn fence(&self) -> u64 {
        self.fence
    }

    /// The random token identifying this holder.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Extends the lock to its TTL from now; false when it is no longer ours.
    pub async fn extend(&self) -> Result<bool, LockError> {
        self.backend.extend(&self.key, &self.token, self.ttl).await
    }

    /// Keeps extending the lock every TTL/3 until the guard is released or dropped.
    pub fn start_watchdog(&mut self) {
        if self.watchdog.is_some() {
            return;
        }
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let (backend, key, token, ttl) = (self.backend.clone(), self.key.clone(), self.token.clone(), self.ttl);
        let every = (ttl / 3).max(Duration::from_millis(10));
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => return,
                    _ = tokio::time::sleep(every) => {
                        match backend.extend(&key, &token, ttl).await {
                            Ok(true) => {}
                            Ok(false) => {
                                tracing::warn!(key, "watchdog: lock lost before the work finished");
                                return;
                            }
                            Err(e) => tracing::warn!(key, "watchdog: extend failed: {e}"),
                        }
                    }
                }
            }
        });
        self.watchdog = Some(stop);
    }

    /// Releases the lock; false if it had already expired or been taken over.
    pub async fn release(mut self) -> Result<bool, LockError> {
        self.released = true;
        if let Some(stop) = self.watchdog.take() {
            let _ = stop.send(());
        }
        self.backend.release(&self.key, &self.token).await
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(stop) = self.watchdog.take() {
            let _ = stop.send(());
        }
        if self.released {
            return;
        }
        // Release in the background: Drop cannot await, and must not block the runtime.
        let (backend, key, token) =
            (self.backend.clone(), std::mem::take(&mut self.key), std::mem::take(&mut self.token));
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                let _ = backend.release(&key, &token).await;
            });
        }
    }
}
