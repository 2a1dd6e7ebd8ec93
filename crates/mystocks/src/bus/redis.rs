//! The Redis bus: each event is appended to a stream per channel (`XADD ... MAXLEN ~
//! 10000`, so a client can replay what it missed by id) and published on the channel as
//! exactly one JSON object, the event with that id added as `"event_id"` (any
//! subscriber's plain JSON parser reads it), both in one Lua script. Streams of one task
//! or one symbol expire (with the task hash; a day after the last tick); the fixed
//! channels' streams are bounded by MAXLEN alone.
//!
//! One pattern subscription (`{prefix}events:*`) feeds every local listener; it is
//! re-established whenever the connection comes back. It reads plain JSON events from
//! any publisher: ours carry their stream id, others' (the replaced Python system's)
//! get a local one. While Redis is down, events are delivered on this instance through
//! the local bus.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, LazyLock, Mutex, Weak};
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use tokio::sync::{broadcast, watch};

use super::channels::Channel;
use super::events::Event;
use super::ids::parse_event_id;
use super::local::LocalBus;
use super::{now_ms, Bus, BusError, Delivered, FeedHistory, History, REPLAY_LIMIT};
use crate::redis_link::RedisLink;

/// Publishes events in one call: each is appended to its channel's stream (bounded)
/// and published as its JSON object with `"event_id"` (the stream id) added.
///
/// The ids come from one sequence across every channel (`ms-seq`, kept in KEYS[2]),
/// not from each stream's own, so that "everything after this id" means the same on
/// every channel: a client subscribed to several resumes from one id with no gap. (A
/// stream whose top is ahead, written by someone else, gets `*` instead.)
///
/// KEYS[1] is the epoch key (see [`EPOCH_KEY`]), KEYS[2] the sequence key
/// ([`SEQUENCE_KEY`]), KEYS[2 + i] event i's stream and channel; ARGV[1] the stream
/// length bound, ARGV[2] the TTL of the epoch and sequence keys, then per event its
/// stream TTL in seconds (0: none) and its JSON (an object). Returns the ids in order.
const PUBLISH_MANY: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', KEYS[1], now, 'NX')
redis.call('EXPIRE', KEYS[1], ARGV[2])
local ms, seq = now, 0
local last = redis.call('GET', KEYS[2])
if last then
  local lms, lseq = string.match(last, '^(%d+)-(%d+)$')
  if lms and tonumber(lms) >= now then ms, seq = tonumber(lms), tonumber(lseq) + 1 end
end
local ids = {}
for i = 3, #KEYS do
  local key = KEYS[i]
  local ttl = tonumber(ARGV[2 * i - 3])
  local json = ARGV[2 * i - 2]
  local id = string.format('%d-%d', ms, seq)
  local added = redis.pcall('XADD', key, 'MAXLEN', '~', ARGV[1], id, 'data', json)
  if type(added) == 'table' and added.err then
    id = redis.call('XADD', key, 'MAXLEN', '~', ARGV[1], '*', 'data', json)
    local ams, aseq = string.match(id, '^(%d+)-(%d+)$')
    if tonumber(ams) > ms or (tonumber(ams) == ms and tonumber(aseq) > seq) then
      ms, seq = tonumber(ams), tonumber(aseq)
    end
  end
  seq = seq + 1
  if ttl > 0 then redis.call('EXPIRE', key, ttl) end
  redis.call('PUBLISH', key, string.sub(json, 1, -2) .. ',"event_id":"' .. id .. '"}')
  ids[i - 2] = id
end
redis.call('SET', KEYS[2], string.format('%d-%d', ms, seq), 'EX', ARGV[2])
return ids
"#;

/// The key (under the prefix) of the last event id given out, shared by every channel.
pub const SEQUENCE_KEY: &str = "events:sequence";

/// How far back a stream is whole after an id: KEYS[1] the stream, KEYS[2] the epoch
/// key, ARGV[1] the id. Returns `{epoch_ms, trimmed_first_id}`: `epoch_ms` -1 when this
/// Redis's history is unknown (no epoch: restarted empty and nothing published yet);
/// `trimmed_first_id` "" unless entries after the id were trimmed away, else the oldest
/// entry left.
const HISTORY: &str = r#"
local epoch = redis.call('GET', KEYS[2])
if not epoch then return {-1, ''} end
local older = redis.call('XREVRANGE', KEYS[1], ARGV[1], '-', 'COUNT', 1)
if #older == 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  local added, len, first = 0, 0, nil
  for i = 1, #info, 2 do
    if info[i] == 'entries-added' then added = info[i + 1]
    elseif info[i] == 'length' then len = info[i + 1]
    elseif info[i] == 'first-entry' then first = info[i + 1] end
  end
  if added > len and first then return {tonumber(epoch), first[1]} end
end
return {tonumber(epoch), ''}
"#;

/// The key (under the prefix) holding when this Redis's event history began (Unix ms):
/// set by the first publish after Redis started empty (so an idle subscriber writes
/// nothing). A replay from
/// Redis is whole only back to then; an older gap was lost with the previous Redis.
pub const EPOCH_KEY: &str = "events:epoch";

/// The epoch key's TTL, refreshed by every publish. If it lapses the
/// next epoch is later than it should be, which only makes replays claim less.
const EPOCH_TTL_SECS: u64 = 30 * 86_400;

/// Feed gaps remembered; older ones move the feed's `since` forward instead.
const GAPS_KEPT: usize = 256;

/// How long a per-symbol market stream is kept after its last tick.
const SYMBOL_STREAM_TTL_SECS: u64 = 86_400;

/// The TTL of a channel's stream: per-task streams expire with the task hash, per-symbol
/// ones a day after their last event; the fixed channels' are bounded by MAXLEN only.
fn stream_ttl(channel: &Channel) -> u64 {
    match channel {
        Channel::Task(_) => super::channels::TASK_TTL_SECS as u64,
        Channel::MarketSymbol(_) => SYMBOL_STREAM_TTL_SECS,
        _ => 0,
    }
}

/// Reads a Pub/Sub payload: the event object, with our `event_id` inside when we
/// published it. Payloads of older engine versions (`"<id> <json>"`) are read too.
pub fn parse_payload(payload: &str) -> Option<(Option<String>, Event)> {
    let text = payload.trim_start();
    if !text.starts_with('{') {
        let (id, json) = text.split_once(' ')?;
        return serde_json::from_str::<Event>(json).ok().map(|e| (Some(id.to_string()), e));
    }
    let mut value: serde_json::Value = serde_json::from_str(text).ok()?;
    let id = value.as_object_mut()?.remove("event_id").and_then(|v| v.as_str().map(str::to_string));
    serde_json::from_value::<Event>(value).ok().map(|e| (id, e))
}

static PUBLISH_MANY_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(PUBLISH_MANY));
static HISTORY_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(HISTORY));

struct Inner {
    link: RedisLink,
    prefix: String,
    local: LocalBus,
    subscriptions: watch::Sender<u64>,
    /// Starts with one open gap: nothing is received before the first subscription.
    feed: Mutex<FeedHistory>,
    /// Ids of our events delivered locally while the subscription was down, so that
    /// the copy Pub/Sub may still bring (a publish racing the resubscription) is dropped.
    delivered_while_cut: Mutex<RecentIds>,
}

/// Ids remembered: the last [`RecentIds::CAPACITY`] inserted.
#[derive(Default)]
struct RecentIds {
    order: VecDeque<String>,
    set: HashSet<String>,
}

impl RecentIds {
    const CAPACITY: usize = 4096;

    fn insert(&mut self, id: &str) {
        if self.set.insert(id.to_string()) {
            self.order.push_back(id.to_string());
            if self.order.len() > Self::CAPACITY {
                if let Some(old) = self.order.pop_front() {
                    self.set.remove(&old);
                }
            }
        }
    }

    /// True (once) if `id` was remembered.
    fn take(&mut self, id: &str) -> bool {
        !self.set.is_empty() && self.set.remove(id)
    }
}

impl Inner {
    fn feed_cut(&self) {
        let mut feed = self.feed.lock().unwrap_or_else(|p| p.into_inner());
        if feed.gaps.last().is_none_or(|g| g.1.is_some()) {
            feed.gaps.push((now_ms(), None));
        }
    }

    /// True while the pattern subscription is down.
    fn feed_is_cut(&self) -> bool {
        let feed = self.feed.lock().unwrap_or_else(|p| p.into_inner());
        feed.gaps.last().is_some_and(|g| g.1.is_none())
    }

    fn feed_restored(&self) {
        let mut feed = self.feed.lock().unwrap_or_else(|p| p.into_inner());
        let now = now_ms();
        if let Some(open) = feed.gaps.last_mut().filter(|g| g.1.is_none()) {
            open.1 = Some(now);
        }
        if feed.gaps.len() > GAPS_KEPT {
            let excess = feed.gaps.len() - GAPS_KEPT;
            let dropped: Vec<_> = feed.gaps.drain(..excess).collect();
            feed.since_ms = dropped.last().and_then(|g| g.1).unwrap_or(now);
        }
    }
}

/// Events through Redis Pub/Sub and Streams.
#[derive(Clone)]
pub struct RedisBus {
    inner: Arc<Inner>,
}

impl RedisBus {
    /// A bus on `link`, with channel names under `prefix`; starts the subscription.
    pub fn new(link: RedisLink, prefix: &str) -> Self {
        let inner = Arc::new(Inner {
            link,
            prefix: prefix.to_string(),
            local: LocalBus::new(),
            subscriptions: watch::channel(0).0,
            feed: Mutex::new(FeedHistory { since_ms: now_ms(), gaps: vec![(now_ms(), None)] }),
            delivered_while_cut: Mutex::default(),
        });
        tokio::spawn(subscribe_loop(Arc::downgrade(&inner)));
        Self { inner }
    }

    /// Waits until the pattern subscription has been (re)established `n` times.
    pub async fn wait_subscribed(&self, n: u64) {
        let mut rx = self.inner.subscriptions.subscribe();
        let _ = rx.wait_for(|&c| c >= n).await;
    }

    fn key(&self, channel: &Channel) -> String {
        format!("{}{channel}", self.inner.prefix)
    }
}

#[async_trait]
impl Bus for RedisBus {
    fn backend(&self) -> &'static str {
        "redis"
    }

    async fn publish(&self, channel: &Channel, event: &Event) -> Result<String, BusError> {
        let one = [(channel.clone(), event.clone())];
        self.publish_all(&one).await.pop().unwrap_or_else(|| Err(BusError::Encode("no result".into())))
    }

    async fn publish_all(&self, events: &[(Channel, Event)]) -> Vec<Result<String, BusError>> {
        if events.is_empty() {
            return Vec::new();
        }
        let mut call = PUBLISH_MANY_SCRIPT.prepare_invoke();
        call.key(format!("{}{EPOCH_KEY}", self.inner.prefix))
            .key(format!("{}{SEQUENCE_KEY}", self.inner.prefix))
            .arg(REPLAY_LIMIT)
            .arg(EPOCH_TTL_SECS);
        for (channel, event) in events {
            match serde_json::to_string(event) {
                Ok(json) => call.key(self.key(channel)).arg(stream_ttl(channel)).arg(json),
                Err(e) => return events.iter().map(|_| Err(BusError::Encode(e.to_string()))).collect(),
            };
        }
        match self.inner.link.run(|mut c| async move { call.invoke_async::<Vec<String>>(&mut c).await }).await {
            Ok(ids) if ids.len() == events.len() => {
                if self.inner.feed_is_cut() {
                    // Redis took the events but this instance's subscription is not back
                    // yet: its own listeners get them now, under their stream ids.
                    let mut delivered = self.inner.delivered_while_cut.lock().unwrap_or_else(|p| p.into_inner());
                    for ((channel, event), id) in events.iter().zip(&ids) {
                        delivered.insert(id);
                        let d = Delivered { channel: channel.clone(), event_id: id.clone(), event: event.clone() };
                        let _ = self.inner.local.sender().send(d);
                    }
                }
                ids.into_iter().map(Ok).collect()
            }
            outcome => {
                let why = outcome.err().map(|e| e.to_string()).unwrap_or_else(|| "a short reply".into());
                tracing::debug!("redis bus unavailable ({why}): delivering {} events locally", events.len());
                events.iter().map(|(channel, event)| Ok(self.inner.local.deliver(channel, event))).collect()
            }
        }
    }

    fn subscribe(&self) -> broadcast::Receiver<Delivered> {
        self.inner.local.sender().subscribe()
    }

    async fn history(&self, channel: &Channel, after_id: &str) -> History {
        let key = self.key(channel);
        let epoch_key = format!("{}{EPOCH_KEY}", self.inner.prefix);
        let after = after_id.to_string();
        let fetched = self
            .inner
            .link
            .run(|mut c| async move {
                let (epoch, trimmed): (i64, String) =
                    HISTORY_SCRIPT.key(&key).key(&epoch_key).arg(&after).invoke_async(&mut c).await?;
                // Page through the stream: no single reply holds the whole gap.
                let mut entries: Vec<(String, Vec<(String, String)>)> = Vec::new();
                let mut from = format!("({after}");
                loop {
                    let page: Vec<(String, Vec<(String, String)>)> = redis::cmd("XRANGE")
                        .arg(&key)
                        .arg(&from)
                        .arg("+")
                        .arg("COUNT")
                        .arg(1000)
                        .query_async(&mut c)
                        .await?;
                    let full = page.len() == 1000;
                    if let Some((last, _)) = page.last() {
                        from = format!("({last}");
                    }
                    entries.extend(page);
                    if !full || entries.len() >= 2 * REPLAY_LIMIT {
                        break;
                    }
                }
                Ok::<_, redis::RedisError>((epoch, trimmed, entries))
            })
            .await;
        let (epoch, trimmed, entries) = match fetched {
            Ok(found) => found,
            Err(e) => {
                tracing::debug!(%channel, "event history not read from Redis: {e}");
                // Redis unreachable: what this instance delivered locally meanwhile,
                // with no claim to be whole.
                let local = self.inner.local.history(channel, after_id).await;
                return History { events: local.events, whole_since_ms: None, epoch_ms: None };
            }
        };
        let mut events = Vec::with_capacity(entries.len());
        for (id, fields) in entries {
            if let Some((_, data)) = fields.into_iter().find(|(k, _)| k == "data") {
                if let Ok(event) = serde_json::from_str::<Event>(&data) {
                    events.push(Delivered { channel: channel.clone(), event_id: id, event });
                }
            }
        }
        let whole_since_ms = match (u64::try_from(epoch), trimmed.is_empty()) {
            (Err(_), _) => None,
            (Ok(epoch), true) => Some(epoch),
            // Entries after the id were trimmed: whole only after the oldest one left.
            (Ok(epoch), false) => Some(epoch.max(parse_event_id(&trimmed).unwrap_or_default().0 + 1)),
        };
        History { events, whole_since_ms, epoch_ms: u64::try_from(epoch).ok() }
    }

    fn feed_history(&self) -> FeedHistory {
        self.inner.feed.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

async fn subscribe_loop(inner: Weak<Inner>) {
    loop {
        let Some(strong) = inner.upgrade() else { return };
        let (client, pattern, prefix) =
            (strong.link.client().clone(), format!("{}events:*", strong.prefix), strong.prefix.clone());
        let link = strong.link.clone();
        drop(strong);
        // While the breaker is open Redis is known to be down: no connect attempts.
        link.breaker().wait_for(crate::redis_link::BreakerState::Closed).await;
        if let Ok(mut pubsub) = client.get_async_pubsub().await {
            if pubsub.psubscribe(&pattern).await.is_ok() {
                match inner.upgrade() {
                    Some(s) => {
                        s.feed_restored();
                        s.subscriptions.send_modify(|n| *n += 1)
                    }
                    None => return,
                }
                let mut messages = pubsub.on_message();
                while let Some(msg) = messages.next().await {
                    let Some(strong) = inner.upgrade() else { return };
                    let name = msg.get_channel_name().strip_prefix(&prefix).unwrap_or_default().to_string();
                    let (Ok(channel), Ok(payload)) = (Channel::parse(&name), msg.get_payload::<String>()) else {
                        continue;
                    };
                    let Some((id, event)) = parse_payload(&payload) else {
                        tracing::debug!(channel = %channel, "a message that is not an event ignored");
                        continue;
                    };
                    match id {
                        Some(event_id) => {
                            let already =
                                strong.delivered_while_cut.lock().unwrap_or_else(|p| p.into_inner()).take(&event_id);
                            if !already {
                                let _ = strong.local.sender().send(Delivered { channel, event_id, event });
                            }
                        }
                        // Another publisher's event (no stream entry): a local id, so
                        // that it is delivered like ours.
                        None => {
                            strong.local.deliver(&channel, &event);
                        }
                    }
                }
                match inner.upgrade() {
                    Some(s) => s.feed_cut(),
                    None => return,
                }
            }
        }
        if inner.strong_count() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
