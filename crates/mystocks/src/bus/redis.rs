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

use std::sync::{Arc, LazyLock, Weak};
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use tokio::sync::{broadcast, watch};

use super::channels::Channel;
use super::events::Event;
use super::local::LocalBus;
use super::{Bus, BusError, Delivered, REPLAY_LIMIT};
use crate::redis_link::RedisLink;

/// Publishes events in one call: each is appended to its channel's stream (bounded)
/// and published as its JSON object with `"event_id"` (the stream id) added. KEYS[i] is
/// event i's stream and channel, ARGV[1] the stream length bound, then per event its
/// stream TTL in seconds (0: none) and its JSON (an object). Returns the ids in order.
const PUBLISH_MANY: &str = r#"
local ids = {}
for i, key in ipairs(KEYS) do
  local ttl = tonumber(ARGV[2 * i])
  local json = ARGV[2 * i + 1]
  local id = redis.call('XADD', key, 'MAXLEN', '~', ARGV[1], '*', 'data', json)
  if ttl > 0 then redis.call('EXPIRE', key, ttl) end
  redis.call('PUBLISH', key, string.sub(json, 1, -2) .. ',"event_id":"' .. id .. '"}')
  ids[i] = id
end
return ids
"#;

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

struct Inner {
    link: RedisLink,
    prefix: String,
    local: LocalBus,
    subscriptions: watch::Sender<u64>,
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
        call.arg(REPLAY_LIMIT);
        for (channel, event) in events {
            match serde_json::to_string(event) {
                Ok(json) => call.key(self.key(channel)).arg(stream_ttl(channel)).arg(json),
                Err(e) => return events.iter().map(|_| Err(BusError::Encode(e.to_string()))).collect(),
            };
        }
        match self.inner.link.run(|mut c| async move { call.invoke_async::<Vec<String>>(&mut c).await }).await {
            Ok(ids) if ids.len() == events.len() => ids.into_iter().map(Ok).collect(),
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

    async fn replay(&self, channel: &Channel, after_id: &str) -> Result<Vec<Delivered>, BusError> {
        let key = self.key(channel);
        let start = format!("({after_id}");
        let entries: Vec<(String, Vec<(String, String)>)> = match self
            .inner
            .link
            .run(|mut c| async move {
                redis::cmd("XRANGE")
                    .arg(&key)
                    .arg(&start)
                    .arg("+")
                    .arg("COUNT")
                    .arg(REPLAY_LIMIT)
                    .query_async(&mut c)
                    .await
            })
            .await
        {
            Ok(entries) => entries,
            Err(_) => return self.inner.local.replay(channel, after_id).await,
        };
        let mut out = Vec::with_capacity(entries.len());
        for (id, fields) in entries {
            if let Some((_, data)) = fields.into_iter().find(|(k, _)| k == "data") {
                if let Ok(event) = serde_json::from_str::<Event>(&data) {
                    out.push(Delivered { channel: channel.clone(), event_id: id, event });
                }
            }
        }
        Ok(out)
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
                    Some(s) => s.subscriptions.send_modify(|n| *n += 1),
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
                            let _ = strong.local.sender().send(Delivered { channel, event_id, event });
                        }
                        // Another publisher's event (no stream entry): a local id, so
                        // that it is delivered like ours.
                        None => {
                            strong.local.deliver(&channel, &event);
                        }
                    }
                }
            }
        }
        if inner.strong_count() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
