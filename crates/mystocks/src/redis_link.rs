//! The link to Redis that the cache, the lock and the bus share: a lazily connected,
//! self-reconnecting connection (redis-rs `ConnectionManager`), a timeout on every
//! command, and a circuit breaker in front of it all.
//!
//! Breaker: after [`FAILURES_TO_OPEN`] consecutive failures or timeouts it opens and
//! every call fails fast with [`LinkError::Open`] (callers fall back to L1 + store, local
//! locks and the local bus). While open, a background probe pings Redis every
//! [`PROBE_INTERVAL`]; the first answer closes it, without a restart. State changes are
//! logged and counted, and readable for `/api/health`.
//!
//! At start-up [`RedisLink::check`] makes one round trip: when Redis cannot be reached
//! (refused, wrong password, no such database, TLS trouble) it logs one warning naming
//! the cause and opens the breaker at once, so the process runs degraded from its first
//! request instead of waiting on connection timeouts in every component.
//!
//! `rediss://` uses rustls with the ring provider, trusting the public roots, or only the
//! CA in `REDIS_TLS_CA_CERT` when that is set.

use std::future::Future;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::Serialize;
use thiserror::Error;
use tokio::sync::OnceCell;

use crate::config::{redact, RedisConfig};

/// Consecutive failures that open the breaker.
pub const FAILURES_TO_OPEN: u32 = 3;
/// How often an open breaker probes Redis.
pub const PROBE_INTERVAL: Duration = Duration::from_millis(500);

/// Why a Redis call did not happen or did not succeed.
#[derive(Debug, Error)]
pub enum LinkError {
    /// The breaker is open: Redis is treated as down, nothing was sent.
    #[error("redis circuit breaker is open")]
    Open,
    /// The command (or the connection) took longer than the configured timeout.
    #[error("redis timed out")]
    Timeout,
    /// Redis or the connection reported an error.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// Connecting failed.
    #[error("redis: cannot connect: {0}")]
    Connect(String),
}

/// The breaker's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls go to Redis.
    Closed,
    /// Calls fail fast; a probe runs periodically.
    Open,
    /// One probe call is testing Redis.
    HalfOpen,
}

/// Counters and state of the breaker, for health and metrics.
#[derive(Debug, Clone, Serialize)]
pub struct BreakerStats {
    /// Current state.
    pub state: BreakerState,
    /// Times it opened.
    pub opened: u64,
    /// Times it closed again.
    pub closed: u64,
    /// Calls refused while open.
    pub rejected: u64,
}

/// The circuit breaker (lock-free; shared by every Redis user of one process).
#[derive(Debug)]
pub struct Breaker {
    state: AtomicU8,
    failures: AtomicU32,
    opened_at_ms: AtomicU64,
    opened: AtomicU64,
    closed: AtomicU64,
    rejected: AtomicU64,
    epoch: Instant,
    changes: tokio::sync::watch::Sender<BreakerState>,
}

const CLOSED: u8 = 0;
const OPEN: u8 = 1;
const HALF_OPEN: u8 = 2;

impl Default for Breaker {
    fn default() -> Self {
        Self {
            state: AtomicU8::new(CLOSED),
            failures: AtomicU32::new(0),
            opened_at_ms: AtomicU64::new(0),
            opened: AtomicU64::new(0),
            closed: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            epoch: Instant::now(),
            changes: tokio::sync::watch::channel(BreakerState::Closed).0,
        }
    }
}

impl Breaker {
    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Current state.
    pub fn state(&self) -> BreakerState {
        match self.state.load(Ordering::Acquire) {
            CLOSED => BreakerState::Closed,
            OPEN => BreakerState::Open,
            _ => BreakerState::HalfOpen,
        }
    }

    /// Waits until the breaker is in `state` (it may already be).
    pub async fn wait_for(&self, state: BreakerState) {
        let mut rx = self.changes.subscribe();
        let _ = rx.wait_for(|s| *s == state).await;
    }

    fn publish(&self) {
        self.changes.send_replace(self.state());
    }

    /// State and counters.
    pub fn stats(&self) -> BreakerStats {
        BreakerStats {
            state: self.state(),
            opened: self.opened.load(Ordering::Relaxed),
            closed: self.closed.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
        }
    }

    /// Whether a call may go to Redis now. When open and the probe interval has passed,
    /// exactly one caller is let through as the probe (half-open).
    fn allow(&self) -> bool {
        match self.state.load(Ordering::Acquire) {
            CLOSED => true,
            OPEN => {
                let since = self.now_ms().saturating_sub(self.opened_at_ms.load(Ordering::Acquire));
                if since >= PROBE_INTERVAL.as_millis() as u64
                    && self.state.compare_exchange(OPEN, HALF_OPEN, Ordering::AcqRel, Ordering::Acquire).is_ok()
                {
                    self.publish();
                    return true;
                }
                self.rejected.fetch_add(1, Ordering::Relaxed);
                false
            }
            _ => {
                self.rejected.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }

    fn on_success(&self) {
        self.failures.store(0, Ordering::Release);
        let previous = self.state.swap(CLOSED, Ordering::AcqRel);
        if previous != CLOSED {
            self.closed.fetch_add(1, Ordering::Relaxed);
            self.publish();
            tracing::info!("redis is back: circuit breaker closed, distributed mode restored");
        }
    }

    /// Opens the breaker now (Redis is known to be down); the probe closes it again.
    fn trip(&self) {
        self.opened_at_ms.store(self.now_ms(), Ordering::Release);
        if self.state.swap(OPEN, Ordering::AcqRel) != OPEN {
            self.opened.fetch_add(1, Ordering::Relaxed);
            self.publish();
        }
    }

    fn on_failure(&self, why: &LinkError) {
        let state = self.state.load(Ordering::Acquire);
        if state == HALF_OPEN {
            self.opened_at_ms.store(self.now_ms(), Ordering::Release);
            self.state.store(OPEN, Ordering::Release);
            self.publish();
            return;
        }
        let failures = self.failures.fetch_add(1, Ordering::AcqRel) + 1;
        if state == CLOSED && failures >= FAILURES_TO_OPEN {
            // Stamp first, so no caller can see the breaker open with a stale stamp.
            self.opened_at_ms.store(self.now_ms(), Ordering::Release);
            if self.state.compare_exchange(CLOSED, OPEN, Ordering::AcqRel, Ordering::Acquire).is_err() {
                return;
            }
            self.opened.fetch_add(1, Ordering::Relaxed);
            self.publish();
            tracing::warn!("redis failing ({why}): circuit breaker open, degraded to L1 + store");
        }
    }
}

struct Inner {
    client: redis::Client,
    config: RedisConfig,
    connection: OnceCell<ConnectionManager>,
    /// The connect attempt in progress, shared by every caller that needs it meanwhile.
    connecting: std::sync::Mutex<Option<ConnectAttempt>>,
    breaker: Breaker,
}

type ConnectAttempt = futures::future::Shared<futures::future::BoxFuture<'static, Result<ConnectionManager, String>>>;

/// A cheap-to-clone handle on the shared Redis link.
#[derive(Clone)]
pub struct RedisLink {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for RedisLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLink").field("url", &redact(&self.inner.config.url)).finish_non_exhaustive()
    }
}

impl RedisLink {
    /// Creates the link without connecting (Redis may be down at start-up) and starts
    /// the breaker's probe. Must be called inside a Tokio runtime.
    pub fn new(config: &RedisConfig) -> Result<Self, LinkError> {
        let client = client_for(config)?;
        let inner = Arc::new(Inner {
            client,
            config: config.clone(),
            connection: OnceCell::new(),
            connecting: std::sync::Mutex::new(None),
            breaker: Breaker::default(),
        });
        tokio::spawn(probe(Arc::downgrade(&inner)));
        Ok(Self { inner })
    }

    /// The client, for dedicated connections (Pub/Sub).
    pub fn client(&self) -> &redis::Client {
        &self.inner.client
    }

    /// The configuration it was made from.
    pub fn config(&self) -> &RedisConfig {
        &self.inner.config
    }

    /// The breaker.
    pub fn breaker(&self) -> &Breaker {
        &self.inner.breaker
    }

    /// Whether Redis is known to be down now (the breaker is not closed).
    pub fn known_down(&self) -> bool {
        self.inner.breaker.state() != BreakerState::Closed
    }

    /// The connection, connecting on first use. Callers that arrive while a connect is
    /// in progress await that same attempt, so with Redis down they all fail together
    /// after one connect timeout instead of each waiting its own turn.
    async fn connection(&self) -> Result<ConnectionManager, LinkError> {
        use futures::FutureExt;
        if let Some(manager) = self.inner.connection.get() {
            return Ok(manager.clone());
        }
        let attempt = {
            // Never held across an await.
            let mut slot = self.inner.connecting.lock().unwrap_or_else(|p| p.into_inner());
            match slot.as_ref() {
                Some(attempt) => attempt.clone(),
                None => {
                    let (client, cfg) = (self.inner.client.clone(), self.inner.config.clone());
                    let attempt = async move {
                        let mcfg = ConnectionManagerConfig::new()
                            .set_connection_timeout(cfg.connect_timeout)
                            .set_response_timeout(cfg.socket_timeout)
                            // No retries inside the client: a refused or failed connect is
                            // reported at once, and the breaker's probe does the retrying.
                            .set_number_of_retries(0);
                        match tokio::time::timeout(
                            cfg.connect_timeout,
                            ConnectionManager::new_with_config(client, mcfg),
                        )
                        .await
                        {
                            Ok(Ok(manager)) => Ok(manager),
                            Ok(Err(e)) => Err(e.to_string()),
                            Err(_) => Err("connect timed out".to_string()),
                        }
                    }
                    .boxed()
                    .shared();
                    *slot = Some(attempt.clone());
                    attempt
                }
            }
        };
        let result = attempt.clone().await;
        {
            let mut slot = self.inner.connecting.lock().unwrap_or_else(|p| p.into_inner());
            if slot.as_ref().is_some_and(|current| current.ptr_eq(&attempt)) {
                *slot = None;
            }
        }
        let manager = result.map_err(LinkError::Connect)?;
        let _ = self.inner.connection.set(manager.clone());
        Ok(manager)
    }

    /// Runs one Redis operation through the breaker, with the command timeout.
    /// Only failures to reach Redis count against the breaker, never its replies.
    pub async fn run<T, F, Fut>(&self, op: F) -> Result<T, LinkError>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        if !self.inner.breaker.allow() {
            return Err(LinkError::Open);
        }
        let result = async {
            let conn = self.connection().await?;
            match tokio::time::timeout(self.inner.config.socket_timeout, op(conn)).await {
                Ok(r) => r.map_err(LinkError::from),
                Err(_) => Err(LinkError::Timeout),
            }
        }
        .await;
        match &result {
            Ok(_) => self.inner.breaker.on_success(),
            // A reply error (wrong type, script error, NOGROUP, UNBLOCKED, ...) says Redis
            // is up: not a failure.
            Err(LinkError::Redis(e)) if is_reply_error(e) => self.inner.breaker.on_success(),
            Err(e) => self.inner.breaker.on_failure(e),
        }
        result
    }

    /// A round trip to Redis.
    pub async fn ping(&self) -> Result<(), LinkError> {
        self.run(|mut c| async move { redis::cmd("PING").query_async::<String>(&mut c).await.map(|_| ()) }).await
    }

    /// The start-up check: one round trip. On failure, one warning naming the cause,
    /// and the breaker opens at once (the probe closes it when Redis answers).
    pub async fn check(&self) -> Result<(), LinkError> {
        let outcome = match self.connection().await {
            Ok(mut conn) => match tokio::time::timeout(
                self.inner.config.socket_timeout,
                redis::cmd("PING").query_async::<String>(&mut conn),
            )
            .await
            {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err(LinkError::Redis(e)),
                Err(_) => Err(LinkError::Timeout),
            },
            Err(e) => Err(e),
        };
        if let Err(e) = &outcome {
            self.inner.breaker.trip();
            tracing::warn!(
                "redis at {} is unavailable ({}): running degraded on L1 + the store, \
                 reconnecting by itself",
                redact(&self.inner.config.url),
                describe(e)
            );
        }
        outcome
    }
}

/// A short, specific cause for a failed connection (what a user can act on).
pub fn describe(e: &LinkError) -> String {
    // One line, whatever the peer answered (a server that is not Redis may send pages).
    let text = e.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = text.to_ascii_lowercase();
    let hint = if lower.contains("db index is out of range") || lower.contains("switch database") {
        "no such database number: check REDIS_DB or the URL's /N"
    } else if lower.contains("wrongpass") || lower.contains("invalid password") || lower.contains("authentication") {
        "authentication failed: check REDIS_PASSWORD or the URL's password"
    } else if lower.contains("connection refused") {
        "connection refused: is redis-server running on that port?"
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        "TLS failed: check REDIS_TLS_CA_CERT and the server's certificate"
    } else if matches!(e, LinkError::Timeout) || lower.contains("timed out") {
        "no answer in time: is the host reachable?"
    } else {
        ""
    };
    if hint.is_empty() {
        text
    } else {
        format!("{hint}; {text}")
    }
}

/// Installs rustls's ring provider as the process default, once (redis-rs builds its
/// TLS configuration from the process default and panics without one).
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The client for a configuration: plain, or TLS trusting `REDIS_TLS_CA_CERT` only when set.
pub fn client_for(config: &RedisConfig) -> Result<redis::Client, LinkError> {
    install_crypto_provider();
    match &config.tls_ca_cert {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| LinkError::Connect(format!("{}: {e}", path.display())))?;
            let certs = redis::TlsCertificates { client_tls: None, root_cert: Some(pem) };
            Ok(redis::Client::build_with_tls(config.url.as_str(), certs)?)
        }
        None => Ok(redis::Client::open(config.url.as_str())?),
    }
}

/// While the breaker is open, ping Redis every probe interval so that it closes as soon
/// as Redis answers, even when no request arrives. Ends when the link is dropped.
async fn probe(inner: Weak<Inner>) {
    loop {
        tokio::time::sleep(PROBE_INTERVAL).await;
        let Some(inner) = inner.upgrade() else { return };
        if inner.breaker.state() != BreakerState::Closed {
            let link = RedisLink { inner };
            let _ = link.ping().await;
        }
    }
}

/// True for an error Redis itself replied with (it is up and answering): anything but a
/// lost, refused or timed-out connection, or a server that cannot serve yet.
fn is_reply_error(e: &redis::RedisError) -> bool {
    use redis::ErrorKind;
    !(e.is_io_error()
        || e.is_timeout()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || matches!(e.kind(), ErrorKind::BusyLoadingError | ErrorKind::MasterDown | ErrorKind::ClusterDown))
}
