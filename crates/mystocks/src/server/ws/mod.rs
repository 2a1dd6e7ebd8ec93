//! The WebSocket event gateway (SPEC section 5): `GET /ws/events`, `GET /ws/stats`,
//! `GET /ws/channels`.
//!
//! - [`hub`]: one feed of the bus per instance fanned out to connections, the
//!   in-process replay ring, the sweep (pings, idle close, lag cut), stats, shutdown.
//! - [`outbox`]: a connection's bounded send queue: priority lane, conflation, cut.
//! - [`replay`]: the gap after `last_event_id`, merged from the bus and the ring, all
//!   or nothing.
//! - [`session`]: one connection: `connected`, replay, then reader and writer.
//! - [`protocol`]: the messages.
//!
//! The upgrade request is checked before the upgrade: channels (default
//! `events:tasks,events:system`), `last_event_id`, and the token (`token=` or
//! `Authorization: Bearer`) when `JWT_SECRET` is set; a bad one is a 4xx JSON error.

pub mod hub;
pub mod outbox;
pub mod protocol;
pub mod replay;
pub mod session;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::auth::bearer;
use super::error::ApiError;
use super::state::AppState;
use crate::bus::channels::Channel;
use crate::bus::ids;
use protocol::{MAX_CLIENT_MESSAGE, MAX_SUBSCRIPTIONS};

/// Channels a connection starts with when it names none.
pub const DEFAULT_CHANNELS: &str = "events:tasks,events:system";

/// Frames larger than this end the connection (the protocol's own limit); up to it, a
/// message over [`MAX_CLIENT_MESSAGE`] gets an error and the connection stays.
const HARD_MESSAGE_LIMIT: usize = 1024 * 1024;

/// The gateway's routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/ws/events", get(events)).route("/ws/stats", get(stats)).route("/ws/channels", get(channels))
}

/// `GET /ws/events`: the upgrade.
async fn events(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let mut names: Option<String> = None;
    let mut token: Option<String> = None;
    let mut last_event_id: Option<String> = None;
    for (key, value) in form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes()) {
        let slot = match key.as_ref() {
            "channels" => &mut names,
            "token" => &mut token,
            "last_event_id" => &mut last_event_id,
            other => {
                return Err(ApiError::BadRequest(format!(
                    "unknown query parameter `{}` (channels, token, last_event_id)",
                    other.chars().take(40).collect::<String>()
                )))
            }
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(ApiError::BadRequest(format!("`{key}` is given twice")));
        }
    }
    let token_expires = match &state.auth {
        None => None,
        Some(auth) => {
            let token = match token.filter(|t| !t.is_empty()) {
                Some(token) => token,
                None => bearer(&headers).map_err(ApiError::Unauthorized)?.map(str::to_string).ok_or_else(|| {
                    ApiError::Unauthorized("this route needs a token: `token=` or `Authorization: Bearer`".into())
                })?,
            };
            Some(auth.expiry(&token).map_err(ApiError::Unauthorized)?)
        }
    };
    let names: Vec<String> = names
        .as_deref()
        .unwrap_or(DEFAULT_CHANNELS)
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let channels = session::parse_channels(&names).map_err(ApiError::BadRequest)?;
    if channels.is_empty() {
        return Err(ApiError::BadRequest("`channels` names no channel (omit it for the default)".into()));
    }
    if channels.len() > MAX_SUBSCRIPTIONS {
        return Err(ApiError::BadRequest(format!("at most {MAX_SUBSCRIPTIONS} channels per connection")));
    }
    let last_event_id = match last_event_id {
        None => None,
        Some(text) => Some(ids::parse_event_id(&text).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "`last_event_id` must be an event id like 1700000000000-0, not `{}`",
                text.chars().take(40).collect::<String>()
            ))
        })?),
    };
    let upgrade =
        upgrade.map_err(|r| ApiError::BadRequest(format!("{} (this route is a WebSocket)", r.body_text())))?;
    let hub = state.ws.clone();
    let request = session::Request { channels, last_event_id, token_expires };
    Ok(upgrade
        .read_buffer_size(4 * 1024)
        .write_buffer_size(8 * 1024)
        .max_message_size(HARD_MESSAGE_LIMIT)
        .max_frame_size(HARD_MESSAGE_LIMIT)
        .on_upgrade(move |socket| session::run(socket, hub, request))
        .into_response())
}

/// `GET /ws/stats`: connections, subscribers per channel, messages sent and dropped.
async fn stats(State(state): State<AppState>) -> Json<Value> {
    Json(state.ws.stats())
}

/// `GET /ws/channels`: the channel patterns with a description each.
async fn channels() -> Json<Value> {
    let list: Vec<Value> =
        Channel::catalog().iter().map(|(pattern, about)| json!({"pattern": pattern, "description": about})).collect();
    Json(json!({"channels": list, "max_subscriptions": MAX_SUBSCRIPTIONS, "max_message_bytes": MAX_CLIENT_MESSAGE}))
}
