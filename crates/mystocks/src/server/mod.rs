//! The HTTP server (SPEC section 6, `mystocks serve`): axum on tokio.
//!
//! - [`app`] builds the whole router from an [`AppState`]; it is separate from serving,
//!   so tests call it without a socket as well as over TCP.
//! - One module per resource, each owning its routes and its request and response
//!   types: [`health`], [`stocks`], [`market`] (bars and quotes), [`indicators`],
//!   [`jobs`], [`cache`], [`metrics`], [`docs`] (OpenAPI and the docs page),
//!   [`dashboard`] (the page at `/` and its embedded assets).
//! - [`ws`]: the WebSocket event gateway (`/ws/events`, `/ws/stats`, `/ws/channels`).
//! - [`error`]: the one error type, and the only place where status codes are chosen;
//!   [`extract`]: extractors that report bad input that way; [`auth`]: the bearer token
//!   of the write routes; [`state`]: the shared state.
//! - [`serve`] runs it until a shutdown future resolves: it stops accepting, lets
//!   requests in flight finish (bounded), closes every WebSocket with 1001, stops the
//!   jobs it started between batches (marked interrupted) and waits for the cache's
//!   background store writes.

pub mod auth;
pub mod cache;
pub mod dashboard;
pub mod docs;
pub mod error;
pub mod extract;
pub mod health;
pub mod indicators;
pub mod jobs;
pub mod market;
pub mod metrics;
pub mod state;
pub mod stocks;
pub mod ws;

use std::future::Future;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::FutureExt;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use state::AppState;

use error::ApiError;

/// How long requests in flight may take to finish once shutdown began.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How long WebSockets get to take their close frame at shutdown.
pub const WS_CLOSE_WAIT: Duration = Duration::from_secs(3);

/// Every route of the API, with its layers.
pub fn app(state: AppState) -> Router {
    // Writes and admin: behind the bearer token when JWT_SECRET is set.
    let writes = Router::new()
        .merge(market::write_router())
        .merge(jobs::write_router())
        .merge(cache::write_router())
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require));
    Router::new()
        .merge(health::router())
        .merge(stocks::router())
        .merge(market::router())
        .merge(indicators::router())
        .merge(jobs::router())
        .merge(cache::router())
        .merge(writes)
        .route("/metrics", get(metrics::page))
        .merge(docs::router())
        .merge(dashboard::router())
        .merge(ws::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Innermost first: metrics see the final status of every routed request.
        .layer(middleware::from_fn(metrics::track))
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(|_| ApiError::Internal("a handler panicked".into()).into_response()))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            // A WebSocket's token may ride in the query: never log it.
            let uri = redact_token(request.uri());
            tracing::info_span!("request", method = %request.method(), uri = %uri, id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The URI as logged: the value of a `token` parameter (however its name is encoded)
/// is replaced by `***`.
fn redact_token(uri: &axum::http::Uri) -> String {
    let Some(query) = uri.query() else { return uri.to_string() };
    let is_token = |pair: &str| form_urlencoded::parse(pair.as_bytes()).next().is_some_and(|(k, _)| k == "token");
    if !query.split('&').any(is_token) {
        return uri.to_string();
    }
    let kept: Vec<&str> = query.split('&').map(|pair| if is_token(pair) { "token=***" } else { pair }).collect();
    format!("{}?{}", uri.path(), kept.join("&"))
}

async fn not_found(request: Request) -> Response {
    ApiError::NotFound(format!("no route {} {}", request.method(), request.uri().path())).into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::MethodNotAllowed.into_response()
}

/// Serves `state` on `listener` until `shutdown` resolves, then shuts down gracefully
/// (see the module doc).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shutdown = shutdown.shared();
    // Upgraded WebSockets are not requests in flight: close them (1001) as shutdown begins.
    let hub = state.ws.clone();
    let closing = shutdown.clone();
    tokio::spawn(async move {
        closing.await;
        hub.shutdown(WS_CLOSE_WAIT).await;
    });
    let server = axum::serve(listener, app(state.clone())).with_graceful_shutdown(shutdown.clone());
    let bounded = async {
        shutdown.clone().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = server => served?,
        () = bounded => tracing::warn!("requests still in flight after {} s were cut off", SHUTDOWN_GRACE.as_secs()),
    }
    // Again: a connection upgraded on a kept-alive connection after the first round.
    state.ws.shutdown(WS_CLOSE_WAIT).await;
    state.jobs.stop_all().await;
    state.rt.cache.flush().await;
    Ok(())
}
