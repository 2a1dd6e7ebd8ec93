//! The messages of `/ws/events` (SPEC section 5): what a client may send, what the
//! server answers, and an event as it goes out (the event object plus `channel` and
//! `event_id`). Each event's text is built once and shared by every connection.

use axum::extract::ws::Utf8Bytes;
use serde_json::{json, Value};

use crate::bus::ids::{id_text, EventId};
use crate::bus::Delivered;

/// The largest client message read (larger ones get an error; the connection stays).
pub const MAX_CLIENT_MESSAGE: usize = 64 * 1024;

/// Channels one connection may hold at once.
pub const MAX_SUBSCRIPTIONS: usize = 100;

/// What a client asked for.
#[derive(Debug, PartialEq)]
pub enum ClientMessage {
    /// Add channels.
    Subscribe(Vec<String>),
    /// Drop channels.
    Unsubscribe(Vec<String>),
    /// Keep-alive.
    Heartbeat,
}

/// A client message the server cannot act on: its error code and message.
#[derive(Debug, PartialEq)]
pub struct BadMessage {
    /// `invalid_json`, `unknown_type`, `invalid_message`.
    pub code: &'static str,
    /// For people.
    pub message: String,
}

/// Reads one text message.
pub fn parse_client(text: &str) -> Result<ClientMessage, BadMessage> {
    let bad = |code, message: String| BadMessage { code, message };
    let value: Value =
        serde_json::from_str(text).map_err(|e| bad("invalid_json", format!("the message is not JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(bad("invalid_message", "a message is a JSON object with a `type`".into()));
    };
    let kind = object.get("type").and_then(Value::as_str).unwrap_or_default();
    let channels = || -> Result<Vec<String>, BadMessage> {
        let list = object
            .get("channels")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("invalid_message", format!("`{kind}` needs `channels`, an array of channel names")))?;
        list.iter()
            .map(|c| {
                c.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| bad("invalid_message", "every channel must be a string".into()))
            })
            .collect()
    };
    match kind {
        "subscribe" => Ok(ClientMessage::Subscribe(channels()?)),
        "unsubscribe" => Ok(ClientMessage::Unsubscribe(channels()?)),
        "heartbeat" => Ok(ClientMessage::Heartbeat),
        "" => Err(bad("invalid_message", "a message needs a string `type`".into())),
        other => Err(bad(
            "unknown_type",
            format!(
                "unknown message type `{}` (subscribe, unsubscribe, heartbeat)",
                other.chars().take(40).collect::<String>()
            ),
        )),
    }
}

/// `{"type":"error",...}`.
pub fn error(code: &str, message: &str) -> Utf8Bytes {
    json!({"type": "error", "code": code, "message": message}).to_string().into()
}

/// The last message a slow consumer gets: where to resume from.
pub fn slow_consumer(last_event_id: Option<EventId>) -> Utf8Bytes {
    json!({
        "type": "error",
        "code": "slow_consumer",
        "message": "the connection could not keep up and is closed; reconnect with last_event_id to resume",
        "last_event_id": last_event_id.map(id_text),
    })
    .to_string()
    .into()
}

/// `{"type":"connected",...}`; `recovered` only when the client asked for a replay.
pub fn connected(connection_id: &str, channels: &[String], recovered: Option<Result<(), String>>) -> Utf8Bytes {
    let mut message = json!({"type": "connected", "connection_id": connection_id, "channels": channels});
    match recovered {
        None => {}
        Some(Ok(())) => message["recovered"] = true.into(),
        Some(Err(reason)) => {
            message["recovered"] = false.into();
            message["reason"] = reason.into();
        }
    }
    message.to_string().into()
}

/// `subscribed` / `unsubscribed` with the channels concerned.
pub fn ack(kind: &str, channels: &[String]) -> Utf8Bytes {
    json!({"type": kind, "channels": channels}).to_string().into()
}

/// `{"type":"heartbeat_ack","timestamp":...}`.
pub fn heartbeat_ack() -> Utf8Bytes {
    json!({"type": "heartbeat_ack", "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)})
        .to_string()
        .into()
}

/// An event as it goes out: the event object plus `channel` and `event_id`, spliced
/// into the event's own JSON (one serialisation per event, on the hub's hot path).
pub fn event_text(delivered: &Delivered) -> Option<Utf8Bytes> {
    let json = serde_json::to_string(&delivered.event).ok()?;
    let body = json.strip_suffix('}')?;
    let channel = serde_json::to_string(&delivered.channel.to_string()).ok()?;
    let id = serde_json::to_string(&delivered.event_id).ok()?;
    Some(format!("{body},\"channel\":{channel},\"event_id\":{id}}}").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_goes_out_as_its_object_plus_channel_and_id() {
        use crate::bus::events::{Event, EventBody, PriceUpdate};
        let event = Event::now(EventBody::PriceUpdate(PriceUpdate {
            symbol: "000001".into(),
            price: 10.5,
            volume: 1.0,
            ts: "2026-01-10T09:00:30Z".into(),
        }));
        let channel = crate::bus::channels::Channel::parse("events:market:000001").unwrap();
        let d = Delivered { channel, event_id: "5-1".into(), event: event.clone() };
        let out: Value = serde_json::from_str(&event_text(&d).unwrap()).unwrap();
        let mut want = serde_json::to_value(&event).unwrap();
        want["channel"] = "events:market:000001".into();
        want["event_id"] = "5-1".into();
        assert_eq!(out, want);
    }

    #[test]
    fn client_messages_and_their_errors() {
        assert_eq!(
            parse_client(r#"{"type":"subscribe","channels":["events:tasks"]}"#),
            Ok(ClientMessage::Subscribe(vec!["events:tasks".into()]))
        );
        assert_eq!(parse_client(r#"{"type":"heartbeat"}"#), Ok(ClientMessage::Heartbeat));
        let code = |t: &str| parse_client(t).unwrap_err().code;
        assert_eq!(code("nope"), "invalid_json");
        assert_eq!(code("[1]"), "invalid_message");
        assert_eq!(code(r#"{"type":"dance"}"#), "unknown_type");
        assert_eq!(code(r#"{"type":"subscribe"}"#), "invalid_message");
        assert_eq!(code(r#"{"type":"subscribe","channels":[1]}"#), "invalid_message");
    }
}
