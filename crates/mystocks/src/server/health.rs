//! `GET /api/health`: the store's and Redis's state, the mode (`distributed`,
//! `embedded` or `degraded`) and the breaker. 200 while the store answers (Redis down is
//! degraded, not down); 503 when the store does not.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use utoipa::ToSchema;

use super::state::AppState;
use crate::cache::Mode;
use crate::redis_link::BreakerState;

/// The routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/health", get(health))
}

/// The health document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` (everything configured answers), `degraded` (Redis configured but not
    /// answering: serving from L1 and the store) or `down` (the store does not answer).
    #[schema(pattern = "^(ok|degraded|down)$")]
    pub status: &'static str,
    /// `distributed` (Redis up), `embedded` (no Redis configured) or `degraded`.
    #[schema(pattern = "^(distributed|embedded|degraded)$")]
    pub mode: &'static str,
    /// The source store.
    pub store: Component,
    /// Redis, when configured.
    pub redis: Option<RedisHealth>,
    /// `ok` or `error: ...` for the store (the replaced system's field).
    pub database: String,
    /// Engine version.
    pub version: &'static str,
    /// Seconds since the server started.
    pub uptime_seconds: f64,
    /// Daily jobs this instance is running.
    pub jobs_running: usize,
}

/// A component's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct Component {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// Whether it answered just now.
    pub ok: bool,
    /// Why not, when it did not.
    pub error: Option<String>,
}

/// Redis's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct RedisHealth {
    /// Whether the breaker lets requests through (Redis answering).
    pub ok: bool,
    /// `closed` (normal), `open` (failing: not used) or `half_open` (probing).
    pub breaker: String,
    /// Times the breaker opened since start.
    pub breaker_opened: u64,
}

/// The instance's health.
#[utoipa::path(get, path = "/api/health", tag = "system",
    responses(
        (status = 200, description = "The store answers (Redis may be down: degraded)", body = Health),
        (status = 503, description = "The store does not answer", body = Health),
    ))]
pub async fn health(State(state): State<AppState>) -> Response {
    let store = match tokio::time::timeout(std::time::Duration::from_secs(2), state.rt.store.ping()).await {
        Ok(Ok(())) => Component { backend: state.rt.store.backend(), ok: true, error: None },
        Ok(Err(e)) => Component { backend: state.rt.store.backend(), ok: false, error: Some(e.to_string()) },
        Err(_) => Component { backend: state.rt.store.backend(), ok: false, error: Some("no answer in 2 s".into()) },
    };
    let mode = state.rt.cache.mode();
    let redis = state.rt.redis.as_ref().map(|link| {
        let breaker = link.breaker();
        let stats = breaker.stats();
        RedisHealth {
            ok: breaker.state() == BreakerState::Closed,
            breaker: format!("{:?}", breaker.state()).to_lowercase().replace("halfopen", "half_open"),
            breaker_opened: stats.opened,
        }
    });
    let status = match (store.ok, mode) {
        (false, _) => "down",
        (true, Mode::Degraded) => "degraded",
        (true, _) => "ok",
    };
    let database = match &store.error {
        None => "ok".to_string(),
        Some(e) => format!("error: {e}"),
    };
    let code = if store.ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = Health {
        status,
        mode: match mode {
            Mode::Distributed => "distributed",
            Mode::Embedded => "embedded",
            Mode::Degraded => "degraded",
        },
        store,
        redis,
        database,
        version: env!("CARGO_PKG_VERSION"),
        uptime_seconds: state.started.elapsed().as_secs_f64(),
        jobs_running: state.jobs.running(),
    };
    (code, axum::Json(body)).into_response()
}
