//! The event bus: typed events ([`events`]) on validated channels ([`channels`]), over
//! one [`Bus`] trait with two backends chosen at start-up: Redis Pub/Sub plus a stream
//! per channel ([`redis::RedisBus`]) and in-process ([`local::LocalBus`]), with the same
//! semantics: live delivery to every subscriber, and replay of everything after an id
//! from a buffer of the last [`REPLAY_LIMIT`] events per channel.

pub mod channels;
pub mod events;
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
    /// The events of `channel` after `after_id`, oldest first.
    async fn replay(&self, channel: &Channel, after_id: &str) -> Result<Vec<Delivered>, BusError>;
}
