//! In-process locks with the Redis backend's semantics (tokens, TTL, fencing), for
//! embedded mode and as the fallback when Redis is down.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{LockBackend, LockError, LockInfo};

#[derive(Debug, Default)]
struct State {
    held: HashMap<String, (String, Instant)>,
    fences: HashMap<String, u64>,
}

/// Locks inside one process.
#[derive(Debug, Default)]
pub struct LocalLocks {
    state: Mutex<State>,
}

impl LocalLocks {
    /// An empty lock table.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State, Instant) -> T) -> T {
        // A poisoned mutex only means another thread panicked mid-update of a plain map;
        // the map is still consistent, so keep using it.
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut state, Instant::now())
    }
}

#[async_trait]
impl LockBackend for LocalLocks {
    fn name(&self) -> &'static str {
        "local"
    }

    async fn try_acquire(&self, key: &str, token: &str, ttl: Duration) -> Result<Option<u64>, LockError> {
        Ok(self.with(|s, now| {
            if let Some((_, until)) = s.held.get(key) {
                if *until > now {
                    return None;
                }
            }
            s.held.insert(key.to_string(), (token.to_string(), now + ttl));
            let fence = s.fences.entry(key.to_string()).or_insert(0);
            *fence += 1;
            Some(*fence)
        }))
    }

    async fn release(&self, key: &str, token: &str) -> Result<bool, LockError> {
        Ok(self.with(|s, now| match s.held.get(key) {
            Some((t, until)) if t == token && *until > now => {
                s.held.remove(key);
                true
            }
            _ => false,
        }))
    }

    async fn extend(&self, key: &str, token: &str, ttl: Duration) -> Result<bool, LockError> {
        Ok(self.with(|s, now| match s.held.get_mut(key) {
            Some((t, until)) if t == token && *until > now => {
                *until = now + ttl;
                true
            }
            _ => false,
        }))
    }

    async fn info(&self, key: &str) -> Result<Option<LockInfo>, LockError> {
        Ok(self.with(|s, now| {
            s.held
                .get(key)
                .filter(|(_, until)| *until > now)
                .map(|(t, until)| LockInfo { token: t.clone(), remaining: *until - now })
        }))
    }
}
