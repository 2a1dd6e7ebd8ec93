//! One WebSocket connection, from `connected` to its close frame.
//!
//! On connect it registers with the hub and subscribes first, so that live events start
//! queueing; then it sends `connected` and, with `last_event_id`, the replay, one event
//! per message, each awaited (the socket's backpressure is the flow control); live
//! events the replay already carried are skipped (the seam). Then two halves run in one
//! task: the writer drains the outbox (see [`super::outbox`]) and the reader answers
//! the client, bounded: messages over 64 KiB get an error, more than
//! [`MAX_MESSAGES_PER_SECOND`] close the connection (1008). A token that expires closes
//! it too (1008).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};

use super::hub::{Hub, Registration};
use super::outbox::{Frame, Lane, Outbox};
use super::protocol::{self, ClientMessage, MAX_CLIENT_MESSAGE, MAX_SUBSCRIPTIONS};
use super::replay;
use crate::bus::channels::Channel;
use crate::bus::ids::EventId;

/// Client messages allowed per second before the client counts as flooding.
pub const MAX_MESSAGES_PER_SECOND: u32 = 50;

/// Frames the writer sends between flushes.
const BATCH: usize = 64;

/// How long a close frame may take to leave before the socket is dropped.
/// How long the last message and close frame may take to leave before the socket is
/// dropped: long enough for a slow consumer to read its way to them.
const CLOSE_WAIT: Duration = Duration::from_secs(10);

/// How long the client's answer to our close frame is awaited.
const CLOSE_REPLY_WAIT: Duration = Duration::from_secs(2);

/// What the upgrade request asked for, checked.
pub struct Request {
    /// Channels to start with.
    pub channels: Vec<Channel>,
    /// Replay after this id.
    pub last_event_id: Option<EventId>,
    /// When the client's token expires (Unix s), if it has one.
    pub token_expires: Option<u64>,
}

/// Runs the connection to its end.
pub async fn run(socket: WebSocket, hub: Hub, request: Request) {
    let (mut sink, stream) = socket.split();
    let mut registration = hub.register();
    registration.subscribe(&request.channels);
    let connection_id = format!("ws-{}", registration.id);
    let names: Vec<String> = request.channels.iter().map(Channel::to_string).collect();

    let mut seam: HashMap<Channel, EventId> = HashMap::new();
    let opened = match request.last_event_id {
        None => sink.send(Message::Text(protocol::connected(&connection_id, &names, None))).await.is_ok(),
        Some(after) => {
            let gap = replay::gather(&hub, &request.channels, after).await;
            hub.count_replay(gap.whole.is_ok());
            let mut ok = sink
                .send(Message::Text(protocol::connected(&connection_id, &names, Some(gap.whole.clone()))))
                .await
                .is_ok();
            let mut replayed = 0;
            for (meta, text) in gap.events {
                if !ok {
                    break;
                }
                ok = sink.send(Message::Text(text)).await.is_ok();
                registration.conn.outbox.sent(meta.id);
                replayed += 1;
                let last = seam.entry(meta.channel).or_insert(meta.id);
                *last = (*last).max(meta.id);
            }
            hub.count_sent(replayed);
            ok
        }
    };
    hub.count_sent(1); // `connected`
    if !opened {
        return;
    }
    let conn = registration.conn.clone();
    let reading = read(stream, &mut registration, request.token_expires);
    let writing = write(sink, &conn.outbox, &hub, seam);
    tokio::pin!(reading, writing);
    tokio::select! {
        () = &mut writing => {
            // Our close frame is out: read on until the client's (bounded), so that
            // unread client data does not turn the close into a reset.
            let _ = tokio::time::timeout(CLOSE_REPLY_WAIT, &mut reading).await;
        }
        () = &mut reading => {
            // The client closed (or sent a frame past the limit): the writer sends the
            // close frame, bounded.
            if conn.outbox.is_closing() {
                let _ = tokio::time::timeout(CLOSE_WAIT, &mut writing).await;
            }
        }
    }
}

/// Sends what the outbox holds until the connection closes.
async fn write(
    mut sink: SplitSink<WebSocket, Message>,
    outbox: &Outbox,
    hub: &Hub,
    mut seam: HashMap<Channel, EventId>,
) {
    loop {
        let batch = outbox.take(BATCH);
        if batch.frames.is_empty() && batch.close.is_none() {
            outbox.ready().await;
            continue;
        }
        let mut sent = 0;
        let sends = send_frames(&mut sink, batch.frames, outbox, &mut seam, &mut sent);
        let outcome = if batch.close.is_some() {
            // The last frames (a slow consumer's resume id) get a bounded time to leave.
            tokio::time::timeout(CLOSE_WAIT, sends).await.unwrap_or(Ok(()))
        } else {
            tokio::select! {
                r = sends => r,
                // Closing (cut, shut down) while the socket is blocked: stop waiting on
                // it; the next batch holds the last message and the close.
                () = outbox.closing() => Ok(()),
            }
        };
        hub.count_sent(sent);
        if outcome.is_err() {
            return;
        }
        if let Some(close) = batch.close {
            let frame = CloseFrame { code: close.code, reason: close.reason.into() };
            let _ = tokio::time::timeout(CLOSE_WAIT, sink.send(Message::Close(Some(frame)))).await;
            return;
        }
    }
}

/// Sends `frames` and flushes, skipping events the replay already sent (the seam) and
/// reporting each event sent to the outbox; counts messages in `sent`.
async fn send_frames(
    sink: &mut SplitSink<WebSocket, Message>,
    frames: Vec<Frame>,
    outbox: &Outbox,
    seam: &mut HashMap<Channel, EventId>,
    sent: &mut u64,
) -> Result<(), axum::Error> {
    for frame in frames {
        let (message, id) = match frame {
            Frame::Ping => (Message::Ping(Default::default()), None),
            Frame::Text(text, None) => (Message::Text(text), None),
            Frame::Text(text, Some(meta)) => {
                if let Some(&last) = seam.get(&meta.channel) {
                    if meta.id <= last {
                        outbox.sent(meta.id);
                        continue;
                    }
                    seam.remove(&meta.channel);
                }
                (Message::Text(text), Some(meta.id))
            }
        };
        sink.feed(message).await?;
        if let Some(id) = id {
            outbox.sent(id);
        }
        *sent += 1;
    }
    sink.flush().await
}

/// Reads and answers the client until it goes or the connection closes.
async fn read(mut stream: SplitStream<WebSocket>, registration: &mut Registration, token_expires: Option<u64>) {
    let conn = registration.conn.clone();
    let reply = |text| {
        conn.outbox.push(Frame::Text(text, None), Lane::Priority);
    };
    let expiry = async {
        match token_expires {
            Some(exp) => {
                let left = exp.saturating_sub(chrono::Utc::now().timestamp().max(0) as u64);
                tokio::time::sleep(Duration::from_secs(left)).await
            }
            None => std::future::pending().await,
        }
    };
    tokio::pin!(expiry);
    let mut window = (Instant::now(), 0u32);
    loop {
        let message = tokio::select! {
            m = stream.next() => m,
            () = &mut expiry, if !conn.outbox.is_closing() => {
                conn.outbox.close(1008, "token expired");
                continue;
            }
        };
        let text = match message {
            None => return,
            Some(Err(e)) => {
                if !is_too_big(e) {
                    return;
                }
                // A frame over the hard limit: say so (1009). The rest of the frame is
                // never read, so closing the socket at once would reset it under the
                // client before it reads our close: hold it open a moment first.
                conn.outbox.close(1009, "message too big");
                tokio::time::sleep(CLOSE_REPLY_WAIT).await;
                return;
            }
            Some(Ok(Message::Close(_))) => {
                // The writer's close flushes the reply to the client's close frame.
                conn.outbox.close(1000, "closed by the client");
                continue;
            }
            Some(Ok(Message::Pong(_) | Message::Ping(_))) => {
                registration.conn.touch();
                continue;
            }
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Binary(_))) => {
                registration.conn.touch();
                reply(protocol::error("invalid_json", "binary messages are not read; send JSON text"));
                continue;
            }
        };
        registration.conn.touch();
        if conn.outbox.is_closing() {
            continue; // closing: read on, answer nothing
        }
        if window.0.elapsed() >= Duration::from_secs(1) {
            window = (Instant::now(), 0);
        }
        window.1 += 1;
        if window.1 > MAX_MESSAGES_PER_SECOND {
            conn.outbox.close(1008, "too many messages");
            continue;
        }
        if text.len() > MAX_CLIENT_MESSAGE {
            reply(protocol::error(
                "message_too_large",
                &format!("a message may hold at most {MAX_CLIENT_MESSAGE} bytes; this one held {}", text.len()),
            ));
            continue;
        }
        match protocol::parse_client(&text) {
            Err(bad) => reply(protocol::error(bad.code, &bad.message)),
            Ok(ClientMessage::Heartbeat) => reply(protocol::heartbeat_ack()),
            Ok(ClientMessage::Subscribe(names)) | Ok(ClientMessage::Unsubscribe(names)) if names.is_empty() => {
                reply(protocol::error("invalid_message", "`channels` is empty"))
            }
            Ok(ClientMessage::Subscribe(names)) => match parse_channels(&names) {
                Err(message) => reply(protocol::error("invalid_channel", &message)),
                Ok(channels) => {
                    let after = registration.channels().len()
                        + channels.iter().filter(|c| !registration.channels().contains(c)).count();
                    if after > MAX_SUBSCRIPTIONS {
                        reply(protocol::error(
                            "too_many_subscriptions",
                            &format!("a connection may hold at most {MAX_SUBSCRIPTIONS} channels"),
                        ));
                    } else {
                        registration.subscribe(&channels);
                        reply(protocol::ack("subscribed", &names_of(&channels)));
                    }
                }
            },
            Ok(ClientMessage::Unsubscribe(names)) => match parse_channels(&names) {
                Err(message) => reply(protocol::error("invalid_channel", &message)),
                Ok(channels) => {
                    registration.unsubscribe(&channels);
                    reply(protocol::ack("unsubscribed", &names_of(&channels)));
                }
            },
        }
    }
}

/// True for the protocol's "message or frame too big" error.
fn is_too_big(error: axum::Error) -> bool {
    use tokio_tungstenite::tungstenite::Error;
    matches!(error.into_inner().downcast::<Error>().map(|e| *e), Ok(Error::Capacity(_)))
}

fn names_of(channels: &[Channel]) -> Vec<String> {
    channels.iter().map(Channel::to_string).collect()
}

/// Parses channel names with the bus's own validation; duplicates are merged.
pub fn parse_channels(names: &[String]) -> Result<Vec<Channel>, String> {
    let mut out: Vec<Channel> = Vec::with_capacity(names.len());
    for name in names {
        let channel = Channel::parse(name.trim()).map_err(|e| e.to_string())?;
        if !out.contains(&channel) {
            out.push(channel);
        }
    }
    Ok(out)
}
