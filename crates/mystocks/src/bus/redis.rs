//! The Redis bus: each event is appended to a stream per channel (`XADD ... MAXLEN ~
//! 10000`, so a client can replay what it missed by id) and published on the channel
//! with that id, both in one Lua script. One pattern subscription (`{prefix}events:*`)
//! feeds every local listener; it is re-established whenever the connection comes back.
//! While Redis is down, events are delivered on this instance through the local bus.

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

/// Publishes events in one call: each is appended to its channel's stream (bounded) and
/// published with its stream id. KEYS[i] is event i's stream and channel, ARGV[1] the
/// stream length bound, ARGV[i + 1] event i's JSON. Returns the ids in order.
const PUBLISH_MANY: &str = r"
local ids = {}
for i, key in ipairs(KEYS) do
  local id = redis.call('XADD', key, 'MAXLEN', '~', ARGV[1], '*', 'data', ARGV[i + 1])
  redis.call('PUBLISH', key, id .. ' ' .. ARGV[i + 1])
  ids[i] = id
end
return ids
";

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
                Ok(json) => call.key(self.key(channel)).arg(json),
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
        drop(strong);
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
                    let Some((id, json)) = payload.split_once(' ') else { continue };
                    if let Ok(event) = serde_json::from_str::<Event>(json) {
                        let _ = strong.local.sender().send(Delivered { channel, event_id: id.to_string(), event });
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
