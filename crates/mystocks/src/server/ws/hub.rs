//! The gateway's hub: one feed of the bus per instance (a single Redis pattern
//! subscription, or the in-process bus), fanned out to every connection subscribed to
//! the event's channel. Each event's text is built once and shared.
//!
//! It also keeps a bounded ring of the events it delivered ([`RECENT_CAPACITY`]), the
//! in-process half of replay: a client that reconnects after Redis lost its streams
//! still gets its gap from an instance that saw the events. And it runs the sweep:
//! every `WS_SWEEP_INTERVAL` it pings quiet connections, closes those silent for
//! `WS_IDLE_TIMEOUT`, and cuts clients that have lagged too long.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use serde_json::{json, Value};
use tokio::sync::{broadcast, Notify};

use super::outbox::{EventMeta, Frame, Lane, Outbox, Pushed};
use super::protocol;
use crate::bus::channels::Channel;
use crate::bus::events::EventBody;
use crate::bus::ids::{self, EventId};
use crate::bus::{now_ms, Bus, Delivered};

/// Events kept in process for replay, across all channels.
pub const RECENT_CAPACITY: usize = 50_000;

/// An event as delivered: its channel and id, and its text as sent.
#[derive(Debug)]
pub struct Recorded {
    /// Channel and id.
    pub meta: Arc<EventMeta>,
    /// The message.
    pub text: Utf8Bytes,
}

struct Recent {
    events: VecDeque<Arc<Recorded>>,
    /// Whole since then: the hub's start, or the last time its feed lagged.
    since_ms: u64,
    /// The ms of the newest event pushed out of the ring.
    evicted_ms: Option<u64>,
}

/// One connection as the hub sees it.
pub struct ConnState {
    /// Its send queue.
    pub outbox: Outbox,
    /// Unix ms of the client's last frame (message or pong).
    last_seen_ms: AtomicU64,
}

impl ConnState {
    /// The client just sent something.
    pub fn touch(&self) {
        self.last_seen_ms.store(now_ms(), Ordering::Relaxed);
    }
}

struct Inner {
    bus: Arc<dyn Bus>,
    routes: RwLock<HashMap<Channel, HashMap<u64, Arc<ConnState>>>>,
    connections: Mutex<HashMap<u64, Arc<ConnState>>>,
    recent: Mutex<Recent>,
    next_id: AtomicU64,
    received: AtomicU64,
    sent: AtomicU64,
    dropped: AtomicU64,
    slow_consumers: AtomicU64,
    replays: [AtomicU64; 2],
    idle_timeout: Duration,
    sweep_interval: Duration,
    all_closed: Notify,
}

/// The hub handle.
#[derive(Clone)]
pub struct Hub(Arc<Inner>);

/// A connection's place in the hub; leaving it (drop) unsubscribes everything.
pub struct Registration {
    hub: Hub,
    /// Its id.
    pub id: u64,
    /// Its state.
    pub conn: Arc<ConnState>,
    channels: HashSet<Channel>,
}

impl Hub {
    /// Starts the fan-out and the sweep over `bus`.
    pub fn start(bus: Arc<dyn Bus>, idle_timeout: Duration, sweep_interval: Duration) -> Self {
        let feed = bus.subscribe();
        let inner = Arc::new(Inner {
            bus,
            routes: RwLock::default(),
            connections: Mutex::default(),
            recent: Mutex::new(Recent { events: VecDeque::new(), since_ms: now_ms(), evicted_ms: None }),
            next_id: AtomicU64::new(1),
            received: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            slow_consumers: AtomicU64::new(0),
            replays: [AtomicU64::new(0), AtomicU64::new(0)],
            idle_timeout,
            sweep_interval,
            all_closed: Notify::new(),
        });
        tokio::spawn(fan_out(Arc::downgrade(&inner), feed));
        tokio::spawn(sweep(Arc::downgrade(&inner)));
        Self(inner)
    }

    /// The bus the hub feeds from.
    pub fn bus(&self) -> &Arc<dyn Bus> {
        &self.0.bus
    }

    /// A new connection, subscribed to nothing yet.
    pub fn register(&self) -> Registration {
        let id = self.0.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(ConnState { outbox: Outbox::default(), last_seen_ms: AtomicU64::new(now_ms()) });
        self.0.connections.lock().unwrap_or_else(|p| p.into_inner()).insert(id, conn.clone());
        metrics::gauge!("mystocks_ws_connections").increment(1.0);
        Registration { hub: self.clone(), id, conn, channels: HashSet::new() }
    }

    /// Counts a replay asked for on connect.
    pub fn count_replay(&self, recovered: bool) {
        self.0.replays[usize::from(!recovered)].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts messages handed to sockets.
    pub fn count_sent(&self, n: u64) {
        self.0.sent.fetch_add(n, Ordering::Relaxed);
        metrics::counter!("mystocks_ws_messages_sent_total").increment(n);
    }

    /// What the hub delivered on `channel` after `after`, and since when that is whole.
    pub fn history(&self, channel: &Channel, after: EventId) -> (Vec<Arc<Recorded>>, u64) {
        let recent = self.0.recent.lock().unwrap_or_else(|p| p.into_inner());
        let events =
            recent.events.iter().filter(|r| &r.meta.channel == channel && r.meta.id > after).cloned().collect();
        (events, recent.since_ms.max(recent.evicted_ms.map_or(0, |ms| ms + 1)))
    }

    /// `GET /ws/stats`.
    pub fn stats(&self) -> Value {
        let channels: serde_json::Map<String, Value> = self
            .0
            .routes
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(channel, subscribers)| (channel.to_string(), subscribers.len().into()))
            .collect();
        let connections = self.0.connections.lock().unwrap_or_else(|p| p.into_inner());
        let dropped_live: u64 = connections.values().map(|c| c.outbox.dropped.load(Ordering::Relaxed)).sum();
        let queued: usize = connections.values().map(|c| c.outbox.depth()).sum();
        json!({
            "connections": connections.len(),
            "channels": channels,
            "events_received": self.0.received.load(Ordering::Relaxed),
            "messages_sent": self.0.sent.load(Ordering::Relaxed),
            "messages_dropped": self.0.dropped.load(Ordering::Relaxed) + dropped_live,
            "messages_queued": queued,
            "slow_consumers_closed": self.0.slow_consumers.load(Ordering::Relaxed),
            "replays": {
                "recovered": self.0.replays[0].load(Ordering::Relaxed),
                "not_recovered": self.0.replays[1].load(Ordering::Relaxed),
            },
            "events_held_for_replay": self.0.recent.lock().unwrap_or_else(|p| p.into_inner()).events.len(),
        })
    }

    /// Closes every connection with 1001 and waits (bounded) until they are gone.
    pub async fn shutdown(&self, wait: Duration) {
        let all_closed = self.0.all_closed.notified();
        let open: Vec<Arc<ConnState>> =
            self.0.connections.lock().unwrap_or_else(|p| p.into_inner()).values().cloned().collect();
        if open.is_empty() {
            return;
        }
        for conn in &open {
            conn.outbox.close(1001, "server shutting down");
        }
        drop(open);
        if tokio::time::timeout(wait, all_closed).await.is_err() {
            tracing::warn!("WebSocket connections still open after {} s of shutdown", wait.as_secs());
        }
    }
}

impl Registration {
    /// Subscribes to `channels` (those already held are left as they are).
    pub fn subscribe(&mut self, channels: &[Channel]) {
        let mut routes = self.hub.0.routes.write().unwrap_or_else(|p| p.into_inner());
        for channel in channels {
            if self.channels.insert(channel.clone()) {
                routes.entry(channel.clone()).or_default().insert(self.id, self.conn.clone());
            }
        }
    }

    /// Unsubscribes from `channels`.
    pub fn unsubscribe(&mut self, channels: &[Channel]) {
        let mut routes = self.hub.0.routes.write().unwrap_or_else(|p| p.into_inner());
        for channel in channels {
            if self.channels.remove(channel) {
                remove_route(&mut routes, channel, self.id);
            }
        }
    }

    /// The channels held.
    pub fn channels(&self) -> &HashSet<Channel> {
        &self.channels
    }

    /// The hub.
    pub fn hub(&self) -> &Hub {
        &self.hub
    }
}

fn remove_route(routes: &mut HashMap<Channel, HashMap<u64, Arc<ConnState>>>, channel: &Channel, id: u64) {
    if let Some(subscribers) = routes.get_mut(channel) {
        subscribers.remove(&id);
        if subscribers.is_empty() {
            routes.remove(channel);
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let inner = &self.hub.0;
        {
            let mut routes = inner.routes.write().unwrap_or_else(|p| p.into_inner());
            for channel in &self.channels {
                remove_route(&mut routes, channel, self.id);
            }
        }
        inner.dropped.fetch_add(self.conn.outbox.dropped.load(Ordering::Relaxed), Ordering::Relaxed);
        let mut connections = inner.connections.lock().unwrap_or_else(|p| p.into_inner());
        connections.remove(&self.id);
        metrics::gauge!("mystocks_ws_connections").decrement(1.0);
        if connections.is_empty() {
            inner.all_closed.notify_waiters();
        }
    }
}

/// The lane of an event: task and system events never wait; ticks may conflate.
fn lane_of(delivered: &Delivered) -> Lane {
    match &delivered.event.body {
        EventBody::TaskProgress(_)
        | EventBody::TaskCompleted(_)
        | EventBody::SystemHeartbeat(_)
        | EventBody::SystemDegraded(_)
        | EventBody::SystemRecovered(_)
        | EventBody::ConfigReloaded(_) => Lane::Priority,
        EventBody::PriceUpdate(p) => Lane::Conflatable(format!("{}|{}", delivered.channel, p.symbol).into()),
        _ => Lane::Normal,
    }
}

async fn fan_out(inner: Weak<Inner>, mut feed: broadcast::Receiver<Delivered>) {
    loop {
        let delivered = match feed.recv().await {
            Ok(d) => d,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                // Events were lost between the bus and the hub: what it holds is whole
                // only from now on.
                let Some(inner) = inner.upgrade() else { return };
                tracing::warn!("the WebSocket hub fell {n} events behind the bus; replays before now are partial");
                inner.recent.lock().unwrap_or_else(|p| p.into_inner()).since_ms = now_ms();
                inner.dropped.fetch_add(n, Ordering::Relaxed);
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let Some(inner) = inner.upgrade() else { return };
        inner.received.fetch_add(1, Ordering::Relaxed);
        let (Some(id), Some(text)) = (ids::parse_event_id(&delivered.event_id), protocol::event_text(&delivered))
        else {
            continue;
        };
        let lane = lane_of(&delivered);
        let meta = Arc::new(EventMeta { channel: delivered.channel, id });
        let record = Arc::new(Recorded { meta: meta.clone(), text: text.clone() });
        {
            let mut recent = inner.recent.lock().unwrap_or_else(|p| p.into_inner());
            if recent.events.len() == RECENT_CAPACITY {
                if let Some(old) = recent.events.pop_front() {
                    recent.evicted_ms = Some(recent.evicted_ms.unwrap_or(0).max(old.meta.id.0));
                }
            }
            recent.events.push_back(record);
        }
        let routes = inner.routes.read().unwrap_or_else(|p| p.into_inner());
        let Some(subscribers) = routes.get(&meta.channel) else { continue };
        let mut cut = 0;
        for conn in subscribers.values() {
            if conn.outbox.push(Frame::Text(text.clone(), Some(meta.clone())), lane.clone()) == Pushed::Cut {
                cut += 1;
            }
        }
        drop(routes);
        if cut > 0 {
            inner.slow_consumers.fetch_add(cut, Ordering::Relaxed);
            tracing::info!("{cut} slow WebSocket consumers cut");
        }
    }
}

async fn sweep(inner: Weak<Inner>) {
    let Some(period) = inner.upgrade().map(|i| i.sweep_interval) else { return };
    let mut tick = tokio::time::interval(period);
    tick.tick().await;
    loop {
        tick.tick().await;
        let Some(inner) = inner.upgrade() else { return };
        let now = now_ms();
        let idle_ms = inner.idle_timeout.as_millis() as u64;
        let quiet_ms = inner.sweep_interval.as_millis() as u64;
        let open: Vec<Arc<ConnState>> =
            inner.connections.lock().unwrap_or_else(|p| p.into_inner()).values().cloned().collect();
        for conn in open {
            let silent = now.saturating_sub(conn.last_seen_ms.load(Ordering::Relaxed));
            if silent >= idle_ms {
                conn.outbox.close(1000, "no message from the client in time");
            } else if conn.outbox.cut_if_lagging() {
                inner.slow_consumers.fetch_add(1, Ordering::Relaxed);
            } else if silent >= (quiet_ms / 2).min(idle_ms / 2) {
                // A live peer answers with a pong (which counts as a message); a dead
                // TCP peer does not, and is closed at the next sweeps.
                conn.outbox.push(Frame::Ping, Lane::Priority);
            }
        }
    }
}
