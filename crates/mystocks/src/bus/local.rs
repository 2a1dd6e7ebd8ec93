//! The in-process bus: a broadcast channel for live delivery and a bounded replay
//! buffer per channel with the same semantics as the Redis streams (ids that only grow,
//! "everything after this id").

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;
use tokio::sync::broadcast;

use super::channels::Channel;
use super::events::Event;
use super::ids::parse_event_id;
use super::{now_ms, Bus, BusError, Delivered, FeedHistory, History, REPLAY_LIMIT};

#[derive(Default)]
struct Buffers {
    last_ms: u64,
    seq: u64,
    per_channel: HashMap<Channel, VecDeque<Delivered>>,
    /// Per channel, the ms of the newest event pushed out of its buffer.
    evicted_ms: HashMap<Channel, u64>,
}

/// Live events a slow listener may fall behind by before it misses some.
const LIVE_CAPACITY: usize = 16_384;

/// Events within one process.
pub struct LocalBus {
    live: broadcast::Sender<Delivered>,
    buffers: Mutex<Buffers>,
    created_ms: u64,
}

impl Default for LocalBus {
    fn default() -> Self {
        Self { live: broadcast::channel(LIVE_CAPACITY).0, buffers: Mutex::default(), created_ms: now_ms() }
    }
}

impl LocalBus {
    /// An empty bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records and delivers an event under a new id; used by the Redis bus as its fallback.
    pub(crate) fn deliver(&self, channel: &Channel, event: &Event) -> String {
        let delivered = {
            let mut b = self.buffers.lock().unwrap_or_else(|p| p.into_inner());
            let now = now_ms();
            if now > b.last_ms {
                b.last_ms = now;
                b.seq = 0;
            } else {
                b.seq += 1;
            }
            let id = format!("{}-{}", b.last_ms, b.seq);
            let d = Delivered { channel: channel.clone(), event_id: id, event: event.clone() };
            let buf = b.per_channel.entry(channel.clone()).or_default();
            let evicted = if buf.len() == REPLAY_LIMIT { buf.pop_front() } else { None };
            buf.push_back(d.clone());
            if let Some(old) = evicted {
                b.evicted_ms.insert(channel.clone(), id_key_of(&old.event_id).0);
            }
            d
        };
        let id = delivered.event_id.clone();
        // No receiver is not an error: nobody is listening right now.
        let _ = self.live.send(delivered);
        id
    }

    pub(crate) fn sender(&self) -> &broadcast::Sender<Delivered> {
        &self.live
    }
}

#[async_trait]
impl Bus for LocalBus {
    fn backend(&self) -> &'static str {
        "local"
    }

    async fn publish(&self, channel: &Channel, event: &Event) -> Result<String, BusError> {
        Ok(self.deliver(channel, event))
    }

    fn subscribe(&self) -> broadcast::Receiver<Delivered> {
        self.live.subscribe()
    }

    async fn history(&self, channel: &Channel, after_id: &str) -> History {
        let after = id_key_of(after_id);
        let b = self.buffers.lock().unwrap_or_else(|p| p.into_inner());
        let events = b
            .per_channel
            .get(channel)
            .map(|buf| buf.iter().filter(|d| id_key_of(&d.event_id) > after).cloned().collect())
            .unwrap_or_default();
        // Whole since the bus was made, or since just after the newest evicted event.
        let evicted = b.evicted_ms.get(channel).map_or(0, |ms| ms + 1);
        History { events, whole_since_ms: Some(self.created_ms.max(evicted)), epoch_ms: None }
    }

    fn feed_history(&self) -> FeedHistory {
        FeedHistory { since_ms: self.created_ms, gaps: Vec::new() }
    }
}

/// An id's order key; a malformed one sorts first.
fn id_key_of(id: &str) -> (u64, u64) {
    parse_event_id(id).unwrap_or_default()
}
