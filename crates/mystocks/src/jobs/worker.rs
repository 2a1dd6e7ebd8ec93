//! A consumer of the distributed daily job's [`WorkQueue`]: `mystocks worker` runs one
//! until stopped, and the coordinating `mystocks daily` runs one for its own task. Each
//! step reads a batch of new entries (or, when there are none, claims entries another
//! consumer left idle too long), computes and stores them, counts them into their task's
//! [`RedisTally`], announces what the tally says, and only then acknowledges them. A
//! consumer that dies before acknowledging leaves its entries for the others.

use std::collections::HashMap;
use std::time::Duration;

use super::batch::StandardBatch;
use super::queue::{WorkItem, WorkQueue};
use super::reporter::Reporter;
use super::tally::{RedisTally, Tally, TallyError};
use crate::bus::Bus;
use crate::redis_link::RedisLink;
use crate::runtime::Runtime;

/// Symbols a consumer takes at a time.
pub const BATCH: usize = 250;
/// How long a read waits for new entries before looking for stale ones.
const READ_BLOCK: Duration = Duration::from_millis(200);
/// Entries pending this long with another consumer are presumed abandoned (default).
pub const DEFAULT_CLAIM_IDLE: Duration = Duration::from_secs(10);

/// What a step did.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Processed entries; the tasks this step completed.
    Worked {
        /// Symbols processed.
        symbols: usize,
        /// Tasks completed by this step.
        completed: Vec<String>,
    },
    /// Nothing to do.
    Idle,
    /// The debug stall point was reached: entries are read and will never be acknowledged.
    Stalled,
}

/// A task and its as-of time: the entries one batch run can take together.
type TaskKey = (String, Option<i64>);

/// One consumer.
pub struct Consumer<'a> {
    rt: &'a Runtime,
    bus: &'a dyn Bus,
    link: RedisLink,
    queue: WorkQueue,
    name: String,
    claim_idle: Duration,
    batches: HashMap<Option<i64>, StandardBatch>,
    reporters: HashMap<String, Reporter<'a>>,
    /// Events of finished tasks' reporters, once dropped.
    retired_events: u64,
    reads: u64,
    stall_after: Option<u64>,
}

impl<'a> Consumer<'a> {
    /// A consumer named `name` of the queue on `link`.
    pub fn new(
        rt: &'a Runtime,
        bus: &'a dyn Bus,
        link: RedisLink,
        name: String,
        claim_idle: Duration,
    ) -> anyhow::Result<Self> {
        let queue = WorkQueue::new(&link, &rt.config.pubsub_prefix)?;
        Ok(Self {
            rt,
            bus,
            link,
            queue,
            name,
            claim_idle,
            batches: HashMap::new(),
            reporters: HashMap::new(),
            retired_events: 0,
            reads: 0,
            stall_after: None,
        })
    }

    /// For crash tests: after reading `batches` non-empty batches, read one more and
    /// never process it.
    pub fn stall_after(mut self, batches: Option<u64>) -> Self {
        self.stall_after = batches;
        self
    }

    /// The queue it reads.
    pub fn queue(&self) -> &WorkQueue {
        &self.queue
    }

    /// A name unique to this process: host and pid.
    pub fn default_name(role: &str) -> String {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
        format!("{role}-{host}-{}", std::process::id())
    }

    /// Reads (or claims) one batch and processes it.
    pub async fn step(&mut self) -> anyhow::Result<Step> {
        let mut items = self.queue.read(&self.name, BATCH, READ_BLOCK).await?;
        if items.is_empty() {
            items = self.queue.claim_stale(&self.name, self.claim_idle, BATCH).await?;
        }
        if items.is_empty() {
            return Ok(Step::Idle);
        }
        self.reads += 1;
        if self.stall_after.is_some_and(|n| self.reads > n) {
            return Ok(Step::Stalled);
        }
        self.work(items).await
    }

    async fn work(&mut self, items: Vec<WorkItem>) -> anyhow::Result<Step> {
        // Group by task (and as-of time), keeping the queue's order.
        let mut groups: Vec<(TaskKey, Vec<WorkItem>)> = Vec::new();
        for item in items {
            let key = (item.task_id.clone(), item.until);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, g)) => g.push(item),
                None => groups.push((key, vec![item])),
            }
        }
        let (mut symbols_done, mut completed) = (0, Vec::new());
        for ((task_id, until), group) in groups {
            let symbols: Vec<String> = group.iter().map(|i| i.symbol.clone()).collect();
            let batch = match self.batches.entry(until) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(StandardBatch::new(until)?),
            };
            let outcomes = batch.run(self.rt, &symbols).await?;
            let codes = batch.codes();
            let tally = RedisTally::new(self.link.clone(), &self.rt.config.cache_prefix, &task_id);
            match tally.record(&outcomes).await {
                Ok(tallied) => {
                    if !self.reporters.contains_key(&task_id) {
                        let reporter = Reporter::new(self.rt, self.bus, &task_id, codes)?;
                        self.reporters.insert(task_id.clone(), reporter);
                    }
                    if let Some(reporter) = self.reporters.get(&task_id) {
                        reporter.batch(&outcomes, &tallied).await?;
                    }
                    if tallied.completed {
                        // Nothing more will be said about it.
                        if let Some(done) = self.reporters.remove(&task_id) {
                            self.retired_events += done.events();
                        }
                        completed.push(task_id.clone());
                    }
                }
                // Stored, but the task is over or taken over: nothing to count.
                Err(TallyError::NotRunning) => tracing::debug!(task = %task_id, "entries of a task not running"),
                Err(TallyError::Redis(e)) => return Err(e.into()),
            }
            let ids: Vec<String> = group.into_iter().map(|i| i.id).collect();
            self.queue.ack(&ids).await?;
            symbols_done += symbols.len();
        }
        Ok(Step::Worked { symbols: symbols_done, completed })
    }

    /// Leaves the group if nothing is pending with this consumer (best effort).
    pub async fn leave(&self) {
        if let Err(e) = self.queue.leave(&self.name).await {
            tracing::debug!(consumer = %self.name, "did not leave the group: {e}");
        }
    }

    /// Events this consumer published.
    pub fn events(&self) -> u64 {
        self.retired_events + self.reporters.values().map(|r| r.events()).sum::<u64>()
    }
}
