//! `/api/cache`: per-tier counters, and invalidation of a symbol's results on every tier
//! of every instance (the same path as `mystocks cache invalidate`).

use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::check_symbol;
use super::state::AppState;
use crate::cache::RemoteInvalidation;

/// The read routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/cache/stats", get(stats))
}

/// The write routes of this resource (behind the token check when one is configured).
pub fn write_router() -> Router<AppState> {
    Router::new().route("/api/cache/{symbol}", delete(invalidate))
}

/// One tier's reads.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tier {
    /// Reads answered here.
    pub hits: u64,
    /// Reads that went past.
    pub misses: u64,
    /// hits / (hits + misses).
    pub hit_ratio: f64,
}

/// Per-tier counters of this instance.
#[derive(Debug, Serialize, ToSchema)]
pub struct CacheStats {
    /// `distributed`, `embedded` or `degraded`.
    pub mode: String,
    /// In-process cache.
    pub l1: Tier,
    /// Its entries now.
    pub l1_entries: u64,
    /// Its entries evicted for size.
    pub l1_evictions: u64,
    /// Redis (zero without it).
    pub l2: Tier,
    /// Redis values refused as stale or narrower than asked.
    pub l2_refused: u64,
    /// The store's indicator history.
    pub l3: Tier,
    /// Computations (loads past every tier) by this instance.
    pub computations: u64,
    /// Waits for another instance's computation of the same key.
    pub lock_waits: u64,
    /// Computations done without the lock because it failed.
    pub fallbacks: u64,
    /// Background store writes lost after every retry.
    pub l3_write_failures: u64,
}

fn tier(t: &crate::cache::tiered::TierStats) -> Tier {
    Tier { hits: t.hits, misses: t.misses, hit_ratio: t.hit_ratio }
}

/// This instance's cache counters.
#[utoipa::path(get, path = "/api/cache/stats", tag = "cache",
    responses((status = 200, description = "Counters", body = CacheStats)))]
pub async fn stats(State(state): State<AppState>) -> Json<CacheStats> {
    let s = state.rt.cache.stats();
    let sched = state.rt.scheduler.stats();
    Json(CacheStats {
        mode: serde_json::to_value(s.mode).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
        l1: tier(&s.l1),
        l1_entries: s.l1_entries,
        l1_evictions: s.l1_evictions,
        l2: tier(&s.l2),
        l2_refused: s.l2_refused,
        l3: tier(&s.l3),
        computations: sched.computations,
        lock_waits: sched.lock_waits,
        fallbacks: sched.fallbacks,
        l3_write_failures: s.l3_write_failures,
    })
}

/// What an invalidation did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invalidated {
    /// The symbol.
    pub symbol: String,
    /// `done` (Redis emptied, every instance told), `not_configured` (no Redis: this
    /// instance and the store), or `deferred` (Redis unreachable: carried out when it
    /// is back; other instances learn it from the store's change feed meanwhile).
    pub remote: &'static str,
}

/// Invalidates every cached result of a symbol: L1, Redis and the store's history, on
/// every instance.
#[utoipa::path(delete, path = "/api/cache/{symbol}", tag = "cache",
    params(("symbol" = String, Path, description = "Symbol code", pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$")),
    responses(
        (status = 200, description = "Invalidated", body = Invalidated),
        (status = 401, description = "A bearer token is required (JWT_SECRET is set)", body = ErrorBody),
        (status = 404, description = "Unknown symbol", body = ErrorBody),
        (status = 422, description = "Malformed symbol", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub async fn invalidate(State(state): State<AppState>, Path(symbol): Path<String>) -> ApiResult<Json<Invalidated>> {
    check_symbol(&symbol)?;
    if state.rt.store.symbol(&symbol).await?.is_none() {
        return Err(ApiError::NotFound(format!("unknown symbol `{symbol}`")));
    }
    let remote = match state.rt.cache.invalidate(&symbol).await? {
        RemoteInvalidation::Done => "done",
        RemoteInvalidation::NotConfigured => "not_configured",
        RemoteInvalidation::Failed(_) => "deferred",
    };
    Ok(Json(Invalidated { symbol, remote }))
}
