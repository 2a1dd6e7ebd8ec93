//! Replay on connect (`last_event_id`): every event after the id on the requested
//! channels, all or nothing.
//!
//! Two sources are merged by event id: the bus's history (the Redis streams, or the
//! in-process bus) and the hub's ring of what this instance delivered. The gap is whole
//! when, for every channel, each moment from the id to now is held by one of them:
//!
//! - the bus holds everything since its `whole_since_ms` (for Redis: since its epoch,
//!   the moment this Redis's history began, unless trimming took entries after the id);
//! - the hub holds everything since its own `since` (its start, its last lag), except
//!   while the instance's feed was cut; a cut is covered when the bus holds from before
//!   it ended, or when the bus's history began during it (a Redis restarted empty: the
//!   old one lost nothing published after the cut began, since the cut began when it
//!   went away, and the new one holds everything from its first publish).
//!
//! A gap larger than [`MAX_REPLAY`] events is refused as not whole rather than held in
//! memory; the client gets live events and `recovered: false` with the reason.

use std::collections::BTreeMap;

use axum::extract::ws::Utf8Bytes;

use super::hub::Hub;
use super::outbox::EventMeta;
use super::protocol;
use crate::bus::channels::Channel;
use crate::bus::ids::{self, EventId};
use crate::bus::now_ms;

/// How far an id may be ahead of this instance's clock (ids carry Redis's clock).
const CLOCK_SKEW_MS: u64 = 5_000;

/// The most events one replay sends.
pub const MAX_REPLAY: usize = 50_000;

/// A gap to send, oldest first, or why it cannot be.
pub struct Gap {
    /// The events, in id order across channels.
    pub events: Vec<(EventMeta, Utf8Bytes)>,
    /// `Err(reason)` when part of the gap is gone (then `events` is empty).
    pub whole: Result<(), String>,
}

/// Gathers every event after `after` on `channels`.
pub async fn gather(hub: &Hub, channels: &[Channel], after: EventId) -> Gap {
    let bus = hub.bus();
    let feed = bus.feed_history();
    let now = now_ms();
    if after.0 > now + CLOCK_SKEW_MS {
        let why = "`last_event_id` is after every event published so far (from another system?)";
        return Gap { events: Vec::new(), whole: Err(why.into()) };
    }
    let mut merged: BTreeMap<(EventId, Channel), Utf8Bytes> = BTreeMap::new();
    for channel in channels {
        let history = bus.history(channel, &ids::id_text(after)).await;
        let (recent, hub_since) = hub.history(channel, after);
        let bus_since = history.whole_since_ms;
        let bus_covers = |ms: u64| bus_since.is_some_and(|since| since <= ms);
        let head_held = after.0 >= hub_since.max(feed.since_ms) || bus_covers(after.0);
        // A cut is held when the bus holds from before its end, or when the bus's history
        // began during it, untrimmed (a Redis restarted empty: its first publish came
        // after the cut began, and it holds everything since).
        let restarted_during = |from: u64| history.epoch_ms.is_some_and(|e| e > from && bus_since == Some(e));
        let cuts_held = feed
            .gaps
            .iter()
            .filter(|(_, to)| to.is_none_or(|to| to > after.0))
            .all(|&(from, to)| bus_covers(to.unwrap_or(now)) || restarted_during(from));
        tracing::debug!(%channel, ?after, ?bus_since, hub_since, ?feed, head_held, cuts_held, "replay coverage");
        if !head_held || !cuts_held {
            let why = match bus_since {
                None => "the event store is unreachable and this instance does not hold every event since then",
                Some(_) => "part of the gap is no longer held (trimmed, or lost with a restarted Redis before this instance saw it)",
            };
            return Gap { events: Vec::new(), whole: Err(format!("{why}: {channel} after {}", ids::id_text(after))) };
        }
        for r in recent {
            merged.insert((r.meta.id, channel.clone()), r.text.clone());
        }
        for d in history.events {
            let Some(id) = ids::parse_event_id(&d.event_id) else { continue };
            if id <= after || merged.contains_key(&(id, channel.clone())) {
                continue;
            }
            if let Some(text) = protocol::event_text(&d) {
                merged.insert((id, channel.clone()), text);
            }
        }
        if merged.len() > MAX_REPLAY {
            return Gap {
                events: Vec::new(),
                whole: Err(format!("the gap holds more than {MAX_REPLAY} events; resume from a later id")),
            };
        }
    }
    Gap {
        events: merged.into_iter().map(|((id, channel), text)| (EventMeta { channel, id }, text)).collect(),
        whole: Ok(()),
    }
}
