//! The distributed daily job's work queue: a Redis Stream (`{pubsub_prefix}jobs:daily`)
//! with one consumer group that every worker reads from. An entry is one symbol of one
//! task. A consumer acknowledges (and deletes) its entries once their results are stored
//! and counted; entries a dead consumer left pending are claimed by the others with
//! XAUTOCLAIM once they have been idle long enough.

use std::time::Duration;

use redis::streams::{StreamAutoClaimReply, StreamId, StreamReadReply};

use crate::redis_link::{LinkError, RedisLink};

/// The consumer group every worker joins.
pub const GROUP: &str = "workers";

/// One symbol of one task, as read from the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkItem {
    /// The stream entry id, to acknowledge.
    pub id: String,
    /// The task it belongs to.
    pub task_id: String,
    /// The symbol.
    pub symbol: String,
    /// The task's as-of time (epoch seconds), if any.
    pub until: Option<i64>,
}

impl WorkItem {
    fn from_entry(entry: &StreamId) -> Option<Self> {
        Some(Self {
            id: entry.id.clone(),
            task_id: entry.get("task")?,
            symbol: entry.get("symbol")?,
            until: entry.get::<String>("until").and_then(|u| u.parse().ok()),
        })
    }
}

/// The work queue in Redis.
#[derive(Clone)]
pub struct WorkQueue {
    link: RedisLink,
    key: String,
}

impl WorkQueue {
    /// The queue under the channel/stream prefix. It opens a connection of its own
    /// (same settings as `shared`): a blocking `XREADGROUP` on the process's multiplexed
    /// connection would hold up every command queued behind it, cache reads included.
    pub fn new(shared: &RedisLink, pubsub_prefix: &str) -> Result<Self, LinkError> {
        Ok(Self { link: RedisLink::new(shared.config())?, key: format!("{pubsub_prefix}jobs:daily") })
    }

    /// The stream's key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Creates the stream and the group if missing (also after Redis came back empty).
    pub async fn ensure_group(&self) -> Result<(), LinkError> {
        let key = self.key.clone();
        let created = self
            .link
            .run(|mut c| async move {
                redis::cmd("XGROUP")
                    .arg("CREATE")
                    .arg(&key)
                    .arg(GROUP)
                    .arg("0")
                    .arg("MKSTREAM")
                    .query_async::<()>(&mut c)
                    .await
            })
            .await;
        match created {
            Err(LinkError::Redis(e)) if e.code() == Some("BUSYGROUP") => Ok(()),
            other => other,
        }
    }

    /// Appends one entry per symbol of `task_id`.
    pub async fn enqueue(&self, task_id: &str, symbols: &[String], until: Option<i64>) -> Result<(), LinkError> {
        let until = until.map(|u| u.to_string()).unwrap_or_default();
        for chunk in symbols.chunks(5_000) {
            let mut pipe = redis::pipe();
            for s in chunk {
                pipe.cmd("XADD")
                    .arg(&self.key)
                    .arg("*")
                    .arg("task")
                    .arg(task_id)
                    .arg("symbol")
                    .arg(s)
                    .arg("until")
                    .arg(&until)
                    .ignore();
            }
            self.link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await?;
        }
        Ok(())
    }

    /// Up to `count` entries never delivered before, waiting at most `block`.
    pub async fn read(&self, consumer: &str, count: usize, block: Duration) -> Result<Vec<WorkItem>, LinkError> {
        let key = self.key.clone();
        let reply: Option<StreamReadReply> = self
            .link
            .run(|mut c| async move {
                redis::cmd("XREADGROUP")
                    .arg("GROUP")
                    .arg(GROUP)
                    .arg(consumer)
                    .arg("COUNT")
                    .arg(count)
                    .arg("BLOCK")
                    .arg(block.as_millis() as u64)
                    .arg("STREAMS")
                    .arg(&key)
                    .arg(">")
                    .query_async(&mut c)
                    .await
            })
            .await?;
        let entries: Vec<StreamId> =
            reply.map(|r| r.keys.into_iter().flat_map(|k| k.ids).collect()).unwrap_or_default();
        self.items(entries).await
    }

    /// The entries as work items; malformed ones (not written by us) are acknowledged
    /// and dropped, so they are not claimed again and again.
    async fn items(&self, entries: Vec<StreamId>) -> Result<Vec<WorkItem>, LinkError> {
        let mut items = Vec::with_capacity(entries.len());
        let mut malformed = Vec::new();
        for entry in &entries {
            match WorkItem::from_entry(entry) {
                Some(item) => items.push(item),
                None => malformed.push(entry.id.clone()),
            }
        }
        if !malformed.is_empty() {
            tracing::warn!(count = malformed.len(), "malformed work queue entries dropped");
            self.ack(&malformed).await?;
        }
        Ok(items)
    }

    /// Takes over up to `count` entries that other consumers have left pending for at
    /// least `min_idle`.
    pub async fn claim_stale(
        &self,
        consumer: &str,
        min_idle: Duration,
        count: usize,
    ) -> Result<Vec<WorkItem>, LinkError> {
        let key = self.key.clone();
        let reply: StreamAutoClaimReply = self
            .link
            .run(|mut c| async move {
                redis::cmd("XAUTOCLAIM")
                    .arg(&key)
                    .arg(GROUP)
                    .arg(consumer)
                    .arg(min_idle.as_millis() as u64)
                    .arg("0-0")
                    .arg("COUNT")
                    .arg(count)
                    .query_async(&mut c)
                    .await
            })
            .await?;
        self.items(reply.claimed).await
    }

    /// Removes `consumer` from the group when it holds no pending entries (a consumer
    /// leaving with work pending stays, so that its entries can still be claimed).
    /// Returns whether it was removed.
    pub async fn leave(&self, consumer: &str) -> Result<bool, LinkError> {
        let key = self.key.clone();
        let pending: Vec<redis::Value> = self
            .link
            .run(|mut c| async move {
                redis::cmd("XPENDING")
                    .arg(&key)
                    .arg(GROUP)
                    .arg("-")
                    .arg("+")
                    .arg(1)
                    .arg(consumer)
                    .query_async(&mut c)
                    .await
            })
            .await?;
        if !pending.is_empty() {
            return Ok(false);
        }
        let key = self.key.clone();
        self.link
            .run(|mut c| async move {
                redis::cmd("XGROUP")
                    .arg("DELCONSUMER")
                    .arg(&key)
                    .arg(GROUP)
                    .arg(consumer)
                    .query_async::<()>(&mut c)
                    .await
            })
            .await?;
        Ok(true)
    }

    /// Acknowledges and deletes `ids`, so the stream only holds outstanding work.
    pub async fn ack(&self, ids: &[String]) -> Result<(), LinkError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut pipe = redis::pipe();
        pipe.cmd("XACK").arg(&self.key).arg(GROUP).arg(ids).ignore();
        pipe.cmd("XDEL").arg(&self.key).arg(ids).ignore();
        self.link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await
    }
}
