//! The in-process bus: a broadcast channel for live delivery and a bounded replay
//! buffer per channel with the same semantics as the Redis streams (ids that only grow,
//! "everything after this id").

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;
use tokio::sync::broadcast;

use super::channels::Channel;
use super::events::Event;
use super::{Bus, BusError, Delivered, REPLAY_LIMIT};

#[derive(Default)]
struct Buffers {
    last_ms: u64,
    seq: u64,
    per_channel: HashMap<Channel, VecDeque<Delivered>>,
}

/// Events within one process.
pub struct LocalBus {
    live: broadcast::Sender<Delivered>,
    buffers: Mutex<Buffers>,
}

impl Default for LocalBus {
    fn default() -> Self {
        Self { live: broadcast::channel(4096).0, buffers: Mutex::default() }
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
            let now = chrono::Utc::now().timestamp_millis().max(0) as u64;
            if now > b.last_ms {
                b.last_ms = now;
                b.seq = 0;
            } else {
                b.seq += 1;
            }
            let id = format!("{}-{}", b.last_ms, b.seq);
            let d = Delivered { channel: channel.clone(), event_id: id, event: event.clone() };
            let buf = b.per_channel.entry(channel.clone()).or_default();
            if buf.len() == REPLAY_LIMIT {
                buf.pop_front();
            }
            buf.push_back(d.clone());
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

/// Orders stream ids (`ms-seq`) numerically.
pub(crate) fn id_key(id: &str) -> (u64, u64) {
    let (ms, seq) = id.split_once('-').unwrap_or((id, "0"));
    (ms.parse().unwrap_or(0), seq.parse().unwrap_or(0))
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

    async fn replay(&self, channel: &Channel, after_id: &str) -> Result<Vec<Delivered>, BusError> {
        let after = id_key(after_id);
        let b = self.buffers.lock().unwrap_or_else(|p| p.into_inner());
        Ok(b.per_channel
            .get(channel)
            .map(|buf| buf.iter().filter(|d| id_key(&d.event_id) > after).cloned().collect())
            .unwrap_or_default())
    }
}
