//! One connection's send queue, bounded so that no client can make the server's memory
//! grow. Three parts, drained in this order:
//!
//! - the **priority lane**: replies to the client, pings, `task.*`, `system.*` and
//!   `config.*` events. They never wait behind per-stock events and are never conflated
//!   or dropped while the connection lives; if even this lane overflows the client is cut.
//! - the **normal lane**: every other event, in arrival order, up to [`NORMAL_CAPACITY`].
//! - the **conflated** ticks: once the normal lane is full (the client lags), a
//!   `price.update` keeps only the newest per channel and symbol here, and every later
//!   tick of that symbol replaces it, so the client always ends with the latest price.
//!
//! A lagging client is cut (close code 1008, `slow consumer`) when a tick cannot be
//! conflated, when any other normal event finds the lane full, or when it has lagged
//! for [`LAG_GRACE`]. Its last message says where to resume: just before the oldest
//! event it was not sent, so a replay from there misses nothing that is never conflated.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::Notify;

use super::protocol;
use crate::bus::channels::Channel;
use crate::bus::ids::{self, EventId};

/// Events the normal lane holds before the client counts as lagging.
pub const NORMAL_CAPACITY: usize = 1024;
/// Frames the priority lane holds before the client is cut.
pub const PRIORITY_CAPACITY: usize = 4096;
/// Symbols whose ticks may be conflated at once.
pub const CONFLATED_CAPACITY: usize = 10_000;
/// Queued normal events past which priority events go first. Below it both lanes leave
/// in id order, so a client that keeps up gets every channel in id order and can resume
/// from the last id it saw; past it (a real backlog) task and system events overtake.
pub const OVERTAKE_AFTER: usize = 128;
/// How long a client may lag (normal lane full) before it is cut.
pub const LAG_GRACE: Duration = Duration::from_secs(5);

/// An event as queued: its shared text and where it came from.
#[derive(Debug)]
pub struct EventMeta {
    /// The channel.
    pub channel: Channel,
    /// Its id.
    pub id: EventId,
}

/// One queued message.
#[derive(Debug, Clone)]
pub enum Frame {
    /// A text message; events carry their channel and id.
    Text(Utf8Bytes, Option<Arc<EventMeta>>),
    /// A server ping.
    Ping,
}

/// Which part of the queue an event goes to.
#[derive(Debug, Clone)]
pub enum Lane {
    /// Ahead of everything, never dropped.
    Priority,
    /// In order, bounded.
    Normal,
    /// Like normal, but conflated under this key when the client lags.
    Conflatable(Arc<str>),
}

/// What became of a pushed event.
#[derive(Debug, PartialEq, Eq)]
pub enum Pushed {
    /// Queued.
    Queued,
    /// Replaced an older tick of the same symbol (that one is dropped).
    Conflated,
    /// The connection is closing; nothing more is queued.
    Closed,
    /// This push cut a slow consumer.
    Cut,
}

/// A close the writer sends after the frames before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close {
    /// The close code.
    pub code: u16,
    /// The reason.
    pub reason: String,
}

#[derive(Default)]
struct Queues {
    priority: VecDeque<Frame>,
    normal: VecDeque<Frame>,
    conflated: HashMap<Arc<str>, Frame>,
    conflated_order: VecDeque<Arc<str>>,
    lagging_since: Option<Instant>,
    close: Option<Close>,
    /// Ids of the events taken by the writer and not yet reported sent, in order.
    in_flight: VecDeque<EventId>,
    /// The newest event id handed to the socket.
    sent_max: Option<EventId>,
}

/// The queue, shared by the hub (which pushes) and the connection's writer (which takes).
#[derive(Default)]
pub struct Outbox {
    queues: Mutex<Queues>,
    /// Work for the writer.
    ready: Notify,
    /// The connection is closing: the writer stops waiting on a blocked socket.
    closing: Notify,
    /// Events dropped here (conflated, or discarded when cut).
    pub dropped: AtomicU64,
}

/// What the writer takes in one go.
pub struct Batch {
    /// Frames to send, in order.
    pub frames: Vec<Frame>,
    /// Then close with this, and stop.
    pub close: Option<Close>,
}

impl Outbox {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queues> {
        self.queues.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues an event (or a reply) in its lane.
    pub fn push(&self, frame: Frame, lane: Lane) -> Pushed {
        let mut q = self.lock();
        if q.close.is_some() {
            return Pushed::Closed;
        }
        let outcome = match lane {
            Lane::Priority if q.priority.len() < PRIORITY_CAPACITY => {
                q.priority.push_back(frame);
                Pushed::Queued
            }
            Lane::Priority => Pushed::Cut,
            _ if q.lagging_since.is_some_and(|since| since.elapsed() > LAG_GRACE) => Pushed::Cut,
            Lane::Conflatable(key) if q.conflated.contains_key(&key) => {
                // Once a symbol is conflated its later ticks stay there, so that an
                // older tick never follows a newer one.
                q.conflated.insert(key, frame);
                Pushed::Conflated
            }
            _ if q.normal.len() < NORMAL_CAPACITY => {
                q.normal.push_back(frame);
                Pushed::Queued
            }
            lane => {
                q.lagging_since.get_or_insert_with(Instant::now);
                match lane {
                    Lane::Conflatable(key) if q.conflated.len() < CONFLATED_CAPACITY => {
                        q.conflated_order.push_back(key.clone());
                        q.conflated.insert(key, frame);
                        Pushed::Queued
                    }
                    _ => Pushed::Cut,
                }
            }
        };
        match outcome {
            Pushed::Cut => self.cut(&mut q),
            Pushed::Conflated => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
        drop(q);
        self.ready.notify_one();
        outcome
    }

    /// Cuts a slow consumer: drops what is queued, keeps only the message saying where
    /// to resume, then the close.
    fn cut(&self, q: &mut Queues) {
        let unsent =
            q.priority.iter().chain(q.normal.iter()).filter_map(frame_id).chain(q.in_flight.iter().copied()).min();
        let resume = match unsent {
            Some(oldest) => Some(ids::id_before(oldest)),
            None => q.sent_max,
        };
        let discarded = q.priority.len() + q.normal.len() + q.conflated.len();
        self.dropped.fetch_add(discarded as u64, Ordering::Relaxed);
        *q = Queues {
            priority: VecDeque::from([Frame::Text(protocol::slow_consumer(resume), None)]),
            close: Some(Close { code: 1008, reason: "slow consumer".into() }),
            sent_max: q.sent_max,
            ..Queues::default()
        };
        self.closing.notify_one();
    }

    /// Closes now with `code` and `reason`: what is queued is dropped. A connection
    /// already closing keeps its first reason.
    pub fn close(&self, code: u16, reason: &str) {
        let mut q = self.lock();
        if q.close.is_some() {
            return;
        }
        let sent_max = q.sent_max;
        *q = Queues { close: Some(Close { code, reason: reason.into() }), sent_max, ..Queues::default() };
        drop(q);
        self.closing.notify_one();
        self.ready.notify_one();
    }

    /// Cuts the connection if it has lagged for longer than [`LAG_GRACE`] (checked by
    /// the sweep, for a client that only gets ticks that conflate).
    pub fn cut_if_lagging(&self) -> bool {
        let mut q = self.lock();
        let expired = q.close.is_none() && q.lagging_since.is_some_and(|since| since.elapsed() > LAG_GRACE);
        if expired {
            self.cut(&mut q);
            drop(q);
            self.ready.notify_one();
        }
        expired
    }

    /// Messages queued (all lanes).
    pub fn depth(&self) -> usize {
        let q = self.lock();
        q.priority.len() + q.normal.len() + q.conflated.len()
    }

    /// True once a close is queued.
    pub fn is_closing(&self) -> bool {
        self.lock().close.is_some()
    }

    /// Takes up to `max` frames (priority, then normal, then conflated), and the close
    /// if nothing is left before it.
    pub fn take(&self, max: usize) -> Batch {
        let mut q = self.lock();
        let mut frames = Vec::with_capacity(max.min(q.priority.len() + q.normal.len() + q.conflated.len()));
        while frames.len() < max {
            let priority_first = match (q.priority.front(), q.normal.front()) {
                (Some(_), None) => true,
                (Some(p), Some(n)) => {
                    q.normal.len() > OVERTAKE_AFTER || frame_id(p).zip(frame_id(n)).is_none_or(|(p, n)| p <= n)
                }
                _ => false,
            };
            let frame = if priority_first {
                q.priority.pop_front()
            } else if let Some(f) = q.normal.pop_front() {
                Some(f)
            } else if let Some(key) = q.conflated_order.pop_front() {
                q.conflated.remove(&key)
            } else {
                break;
            };
            if let Some(f) = frame {
                if let Some(id) = frame_id(&f) {
                    q.in_flight.push_back(id);
                }
                frames.push(f);
            }
        }
        if q.normal.len() <= NORMAL_CAPACITY / 2 {
            q.lagging_since = None;
        }
        let idle = q.priority.is_empty() && q.normal.is_empty() && q.conflated.is_empty();
        if q.normal.is_empty() && q.conflated.is_empty() {
            // Give back what a burst made the queues allocate.
            q.normal.shrink_to(0);
            q.conflated.shrink_to(0);
            q.conflated_order.shrink_to(0);
        }
        Batch { frames, close: if idle { q.close.clone() } else { None } }
    }

    /// Records that the writer handed a taken event to the socket (or skipped it).
    pub fn sent(&self, id: EventId) {
        let mut q = self.lock();
        if q.in_flight.front() == Some(&id) {
            q.in_flight.pop_front();
        }
        q.sent_max = Some(q.sent_max.map_or(id, |m| m.max(id)));
    }

    /// Waits until there is something to take.
    pub async fn ready(&self) {
        self.ready.notified().await
    }

    /// Waits until the connection is closing.
    pub async fn closing(&self) {
        self.closing.notified().await
    }
}

fn frame_id(frame: &Frame) -> Option<EventId> {
    match frame {
        Frame::Text(_, Some(meta)) => Some(meta.id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(ms: u64) -> Frame {
        let meta = EventMeta { channel: Channel::Indicators, id: (ms, 0) };
        Frame::Text(Utf8Bytes::from(format!("{ms}")), Some(Arc::new(meta)))
    }

    fn texts(batch: &Batch) -> Vec<String> {
        batch
            .frames
            .iter()
            .map(|f| match f {
                Frame::Text(t, _) => t.as_str().to_string(),
                Frame::Ping => "ping".into(),
            })
            .collect()
    }

    #[test]
    fn priority_overtakes_and_ticks_conflate_to_the_latest() {
        let out = Outbox::default();
        for ms in 1..=NORMAL_CAPACITY as u64 {
            assert_eq!(out.push(event(ms), Lane::Normal), Pushed::Queued);
        }
        let key: Arc<str> = "events:market:000001".into();
        assert_eq!(out.push(event(5000), Lane::Conflatable(key.clone())), Pushed::Queued);
        assert_eq!(out.push(event(5001), Lane::Conflatable(key.clone())), Pushed::Conflated);
        assert_eq!(out.push(event(9000), Lane::Priority), Pushed::Queued);
        let first = out.take(2);
        assert_eq!(texts(&first), ["9000", "1"], "a backlog: the task event goes first");
        let rest = out.take(usize::MAX);
        assert_eq!(texts(&rest).last().map(String::as_str), Some("5001"), "ends with the latest tick");
        assert!(!texts(&rest).contains(&"5000".to_string()));
        assert_eq!(out.dropped.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn without_a_backlog_both_lanes_leave_in_id_order() {
        let out = Outbox::default();
        out.push(event(1), Lane::Normal);
        out.push(event(3), Lane::Normal);
        out.push(event(2), Lane::Priority);
        out.push(Frame::Text("reply".into(), None), Lane::Priority);
        assert_eq!(texts(&out.take(10)), ["1", "2", "reply", "3"]);
    }

    #[test]
    fn a_full_lane_cuts_and_says_where_to_resume() {
        let out = Outbox::default();
        out.push(event(1), Lane::Normal);
        let b = out.take(1);
        out.sent((1, 0));
        assert_eq!(texts(&b), ["1"]);
        for ms in 10..10 + NORMAL_CAPACITY as u64 {
            out.push(event(ms), Lane::Normal);
        }
        assert_eq!(out.push(event(99_999), Lane::Normal), Pushed::Cut);
        assert_eq!(out.push(event(100_000), Lane::Priority), Pushed::Closed);
        let last = out.take(usize::MAX);
        let message: serde_json::Value = serde_json::from_str(&texts(&last)[0]).unwrap();
        assert_eq!(message["code"], "slow_consumer");
        assert_eq!(message["last_event_id"], "9-18446744073709551615", "just before the oldest unsent");
        assert_eq!(last.close, Some(Close { code: 1008, reason: "slow consumer".into() }));
    }
}
