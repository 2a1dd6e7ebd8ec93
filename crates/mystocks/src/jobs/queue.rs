//! The distributed daily job's work queues: one Redis Stream per task
//! (`{pubsub_prefix}jobs:daily:queue:{task_id}`, consumer group `workers`, one entry per
//! symbol), and a registry of the tasks that have one (`{pubsub_prefix}jobs:daily:tasks`,
//! a sorted set by start time). A job's consumers read only its own stream, so nothing
//! of another task (live or dead) is ever taken by mistake; `mystocks worker` reads the
//! streams of every live task (see [`super::tasks`]).
//!
//! A consumer acknowledges (and deletes) its entries once their results are stored and
//! counted; entries a dead consumer left pending are claimed by the others with
//! XAUTOCLAIM once they have been idle long enough. Streams and the registry expire with
//! the task hash (7 days after their last write), so nothing stays in Redis forever.

use std::time::Duration;

use redis::streams::{StreamAutoClaimReply, StreamId, StreamReadReply};

use super::tally::TASK_HASH_TTL_SECS;
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
    fn from_entry(task_id: &str, entry: &StreamId) -> Option<Self> {
        Some(Self {
            id: entry.id.clone(),
            task_id: task_id.to_string(),
            symbol: entry.get("symbol")?,
            until: entry.get::<String>("until").and_then(|u| u.parse().ok()),
        })
    }
}

/// The work queues in Redis.
#[derive(Clone)]
pub struct WorkQueue {
    link: RedisLink,
    prefix: String,
}

impl WorkQueue {
    /// The queues under the channel/stream prefix. It opens a connection of its own
    /// (same settings as `shared`): a blocking `XREADGROUP` on the process's multiplexed
    /// connection would hold up every command queued behind it, cache reads included.
    pub fn new(shared: &RedisLink, pubsub_prefix: &str) -> Result<Self, LinkError> {
        Ok(Self { link: RedisLink::new(shared.config())?, prefix: pubsub_prefix.to_string() })
    }

    /// The stream of one task.
    pub fn stream(&self, task_id: &str) -> String {
        format!("{}jobs:daily:queue:{task_id}", self.prefix)
    }

    /// The registry of tasks with a queue.
    pub fn registry(&self) -> String {
        format!("{}jobs:daily:tasks", self.prefix)
    }

    fn task_of<'k>(&self, stream: &'k str) -> Option<&'k str> {
        stream.strip_prefix(&self.prefix)?.strip_prefix("jobs:daily:queue:")
    }

    /// Opens `task_id`'s queue: its stream and group (created if missing), one entry per
    /// symbol, and its place in the registry.
    pub async fn open_task(&self, task_id: &str, symbols: &[String], until: Option<i64>) -> Result<(), LinkError> {
        let key = self.stream(task_id);
        let created = {
            let key = key.clone();
            // The expiry goes with the creation: a stream is never left without one (Redis
            // runs both even when the group exists already and the first one errs).
            let mut pipe = redis::pipe();
            pipe.cmd("XGROUP").arg("CREATE").arg(&key).arg(GROUP).arg("0").arg("MKSTREAM").ignore();
            pipe.expire(&key, TASK_HASH_TTL_SECS).ignore();
            self.link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await
        };
        match created {
            Err(LinkError::Redis(e)) if e.code() == Some("BUSYGROUP") => {}
            other => other?,
        }
        let until = until.map(|u| u.to_string()).unwrap_or_default();
        for chunk in symbols.chunks(5_000) {
            let mut pipe = redis::pipe();
            for s in chunk {
                pipe.cmd("XADD").arg(&key).arg("*").arg("symbol").arg(s).arg("until").arg(&until).ignore();
            }
            pipe.expire(&key, TASK_HASH_TTL_SECS).ignore();
            self.link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await?;
        }
        let (registry, task, now) = (self.registry(), task_id.to_string(), chrono::Utc::now().timestamp_millis());
        let mut pipe = redis::pipe();
        pipe.zadd(&registry, &task, now).ignore().expire(&registry, TASK_HASH_TTL_SECS).ignore();
        self.link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await
    }

    /// Closes `task_id`'s queue: the stream (with anything left in it) and its place in
    /// the registry.
    pub async fn close_task(&self, task_id: &str) -> Result<(), LinkError> {
        let (key, registry, task) = (self.stream(task_id), self.registry(), task_id.to_string());
        let mut pipe = redis::pipe();
        pipe.del(&key).ignore().zrem(&registry, &task).ignore();
        self.link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await
    }

    /// The tasks with a queue, oldest first.
    pub async fn tasks(&self) -> Result<Vec<String>, LinkError> {
        let registry = self.registry();
        self.link
            .run(|mut c| async move { redis::cmd("ZRANGE").arg(&registry).arg(0).arg(-1).query_async(&mut c).await })
            .await
    }

    /// Up to `count` entries of these tasks never delivered before, waiting at most
    /// `block`. A task whose queue is gone meanwhile yields nothing.
    pub async fn read(
        &self,
        consumer: &str,
        tasks: &[String],
        count: usize,
        block: Duration,
    ) -> Result<Vec<WorkItem>, LinkError> {
        if tasks.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = tasks.iter().map(|t| self.stream(t)).collect();
        let reply: Result<Option<StreamReadReply>, LinkError> = self
            .link
            .run(|mut c| async move {
                let mut cmd = redis::cmd("XREADGROUP");
                cmd.arg("GROUP").arg(GROUP).arg(consumer).arg("COUNT").arg(count);
                cmd.arg("BLOCK").arg(block.as_millis() as u64).arg("STREAMS").arg(&keys);
                for _ in &keys {
                    cmd.arg(">");
                }
                cmd.query_async(&mut c).await
            })
            .await;
        let reply = match reply {
            // A queue closed between the registry read and this one, or while the read
            // was blocked on it: read again next step.
            Err(LinkError::Redis(e)) if matches!(e.code(), Some("NOGROUP") | Some("UNBLOCKED")) => {
                return Ok(Vec::new())
            }
            other => other?,
        };
        let mut items = Vec::new();
        for stream in reply.map(|r| r.keys).unwrap_or_default() {
            let Some(task) = self.task_of(&stream.key).map(str::to_string) else { continue };
            items.extend(self.items(&task, stream.ids).await?);
        }
        Ok(items)
    }

    /// The entries as work items; malformed ones (not written by us) are acknowledged
    /// and dropped, so they are not claimed again and again.
    async fn items(&self, task_id: &str, entries: Vec<StreamId>) -> Result<Vec<WorkItem>, LinkError> {
        let mut items = Vec::with_capacity(entries.len());
        let mut malformed = Vec::new();
        for entry in &entries {
            match WorkItem::from_entry(task_id, entry) {
                Some(item) => items.push(item),
                None => malformed.push(entry.id.clone()),
            }
        }
        if !malformed.is_empty() {
            tracing::warn!(count = malformed.len(), task = task_id, "malformed work queue entries dropped");
            self.ack(task_id, &malformed).await?;
        }
        Ok(items)
    }

    /// Takes over up to `count` entries of `task_id` that other consumers have left
    /// pending for at least `min_idle`.
    pub async fn claim_stale(
        &self,
        consumer: &str,
        task_id: &str,
        min_idle: Duration,
        count: usize,
    ) -> Result<Vec<WorkItem>, LinkError> {
        let key = self.stream(task_id);
        let reply: Result<StreamAutoClaimReply, LinkError> = self
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
            .await;
        match reply {
            Err(LinkError::Redis(e)) if e.code() == Some("NOGROUP") => Ok(Vec::new()),
            other => self.items(task_id, other?.claimed).await,
        }
    }

    /// Removes `consumer` from `task_id`'s group when it holds no pending entries there
    /// (a consumer leaving with work pending stays, so that its entries can still be
    /// claimed). Returns whether it was removed.
    pub async fn leave(&self, consumer: &str, task_id: &str) -> Result<bool, LinkError> {
        let key = self.stream(task_id);
        let pending: Result<Vec<redis::Value>, LinkError> = {
            let key = key.clone();
            self.link
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
                .await
        };
        match pending {
            Err(LinkError::Redis(e)) if e.code() == Some("NOGROUP") => return Ok(false),
            Ok(p) if !p.is_empty() => return Ok(false),
            other => {
                other?;
            }
        }
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

    /// Acknowledges and deletes `ids` of `task_id`, so the stream only holds outstanding work.
    pub async fn ack(&self, task_id: &str, ids: &[String]) -> Result<(), LinkError> {
        if ids.is_empty() {
            return Ok(());
        }
        let key = self.stream(task_id);
        let mut pipe = redis::pipe();
        pipe.cmd("XACK").arg(&key).arg(GROUP).arg(ids).ignore();
        pipe.cmd("XDEL").arg(&key).arg(ids).ignore();
        self.link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await
    }
}
