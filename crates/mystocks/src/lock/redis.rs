//! Redis locks: `SET key token NX PX ttl`, with the fencing counter incremented in the
//! same script; release and extend are Lua compare-and-delete / compare-and-pexpire, so
//! only the holder of the token can do either. The fencing counter is kept (its TTL
//! renewed at every acquire) longer than any value it fences, so it never restarts
//! below a fence a value was written with, and never stays in Redis forever.

use std::sync::LazyLock;
use std::time::Duration;

use async_trait::async_trait;

use super::{LockBackend, LockError, LockInfo};
use crate::redis_link::RedisLink;

const ACQUIRE: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local fence = redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return fence
end
return 0
";

const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

const EXTEND: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
";

static ACQUIRE_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(ACQUIRE));
static RELEASE_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(RELEASE));
static EXTEND_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(EXTEND));

/// Locks in Redis, through the shared link (timeouts, breaker).
#[derive(Debug, Clone)]
pub struct RedisLocks {
    link: RedisLink,
    fence_ttl: Duration,
}

/// How long a fencing counter is kept after its last acquire, unless told otherwise.
pub const DEFAULT_FENCE_TTL: Duration = Duration::from_secs(86_400);

impl RedisLocks {
    /// Locks on `link`, fencing counters kept [`DEFAULT_FENCE_TTL`].
    pub fn new(link: RedisLink) -> Self {
        Self { link, fence_ttl: DEFAULT_FENCE_TTL }
    }

    /// Keeps fencing counters `ttl` after their last acquire (longer than any value
    /// written under a fence lives).
    pub fn with_fence_ttl(mut self, ttl: Duration) -> Self {
        self.fence_ttl = ttl;
        self
    }
}

/// The fencing counter of a lock key.
pub fn fence_key(key: &str) -> String {
    format!("{key}:fence")
}

fn millis(d: Duration) -> u64 {
    (d.as_millis() as u64).max(1)
}

#[async_trait]
impl LockBackend for RedisLocks {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn try_acquire(&self, key: &str, token: &str, ttl: Duration) -> Result<Option<u64>, LockError> {
        let mut call = ACQUIRE_SCRIPT.key(key);
        call.key(fence_key(key)).arg(token).arg(millis(ttl)).arg(millis(self.fence_ttl.max(ttl)));
        let fence: u64 = self.link.run(|mut c| async move { call.invoke_async(&mut c).await }).await?;
        Ok((fence > 0).then_some(fence))
    }

    async fn release(&self, key: &str, token: &str) -> Result<bool, LockError> {
        let mut call = RELEASE_SCRIPT.key(key);
        call.arg(token);
        let n: i64 = self.link.run(|mut c| async move { call.invoke_async(&mut c).await }).await?;
        Ok(n == 1)
    }

    async fn extend(&self, key: &str, token: &str, ttl: Duration) -> Result<bool, LockError> {
        let mut call = EXTEND_SCRIPT.key(key);
        call.arg(token).arg(millis(ttl));
        let n: i64 = self.link.run(|mut c| async move { call.invoke_async(&mut c).await }).await?;
        Ok(n == 1)
    }

    async fn info(&self, key: &str) -> Result<Option<LockInfo>, LockError> {
        let k = key.to_string();
        let (token, pttl): (Option<String>, i64) = self
            .link
            .run(|mut c| async move { redis::pipe().cmd("GET").arg(&k).cmd("PTTL").arg(&k).query_async(&mut c).await })
            .await?;
        Ok(token.filter(|_| pttl > 0).map(|token| LockInfo { token, remaining: Duration::from_millis(pttl as u64) }))
    }
}
