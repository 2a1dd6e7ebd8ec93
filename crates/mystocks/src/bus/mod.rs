//! The event bus: typed events ([`events`]) on validated channels ([`channels`]), over
//! one [`Bus`] trait with two backends chosen at start-up: Redis Pub/Sub plus a stream
//! per channel ([`redis::RedisBus`]) and in-process ([`local::LocalBus`]), with the same
//! semantics: live delivery to every subscriber, and replay of everything after an id
//! from a buffer of the last [`REPLAY_LIMIT`] events per channel, saying how far back
//! that buffer is whole ([`History`]) and when this instance's live feed was cut
//! ([`FeedHistory`]), so that a replay can tell a whole gap from a partial one.

pub mod channels;
pub mod events;
pub mod ids;
pub mod local;
pub mod redis;

use async_trait::async_trait;
use thiserror::Error;
use tokio::sync::broadcast;

use channels::Channel;
use events::Event;

/// Events kept per channel for replay (`XADD ... MAXLEN ~ 10000`).
pub const REPLAY_LIMIT: usize = 10_000;

/// An event as delivered: its channel and its id in that channel's stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivered {
    /// The channel.
    pub channel: Channel,
    /// The stream entry id (`ms-seq`), sent to WebSocket clients as `event_id`.
    pub event_id: String,
    /// The event.
    pub event: Event,
}

/// What a backend holds of one channel after an id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The events after the id, oldest first.
    pub events: Vec<Delivered>,
    /// The backend holds every event of the channel published after the id at or after
    /// this time (Unix ms); `None` when it cannot say (e.g. Redis unreachable).
    pub whole_since_ms: Option<u64>,
    /// When this history began, if it can restart (a Redis restarted empty starts a new
    /// one at its first publish); `None` in process.
    pub epoch_ms: Option<u64>,
}

/// When this instance's live feed (`subscribe`) may have missed events that others
/// published: before `since_ms`, and during each gap `(from_ms, to_ms)` (`None`: still cut).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedHistory {
    /// The feed has received every event since then, but for the gaps.
    pub since_ms: u64,
    /// Periods without a subscription, oldest first.
    pub gaps: Vec<(u64, Option<u64>)>,
}

/// Unix time in ms.
pub(crate) fn now_ms() -> u64 {
    chrono::Utc::now().timestamp_millis().max(0) as u64
}

/// Why the bus failed.
#[derive(Debug, Error)]
pub enum BusError {
    /// The event could not be encoded.
    #[error("event not encodable: {0}")]
    Encode(String),
}

/// Publishing and subscribing to events.
#[async_trait]
pub trait Bus: Send + Sync {
    /// `local` or `redis`.
    fn backend(&self) -> &'static str;
    /// Publishes on `channel`; returns the event id.
    async fn publish(&self, channel: &Channel, event: &Event) -> Result<String, BusError>;
    /// Publishes several events in order (a backend may send them in one round trip);
    /// one result per event.
    async fn publish_all(&self, events: &[(Channel, Event)]) -> Vec<Result<String, BusError>> {
        let mut out = Vec::with_capacity(events.len());
        for (channel, event) in events {
            out.push(self.publish(channel, event).await);
        }
        out
    }
    /// Every event published from now on, on every channel (callers filter).
    fn subscribe(&self) -> broadcast::Receiver<Delivered>;
    /// What the backend holds of `channel` after `after_id` (a stream id `ms-seq`).
    async fn history(&self, channel: &Channel, after_id: &str) -> History;
    /// The events of `channel` after `after_id`, oldest first.
    async fn replay(&self, channel: &Channel, after_id: &str) -> Result<Vec<Delivered>, BusError> {
        Ok(self.history(channel, after_id).await.events)
    }
    /// When the live feed may have missed others' events (never, in process).
    fn feed_history(&self) -> FeedHistory;
}
