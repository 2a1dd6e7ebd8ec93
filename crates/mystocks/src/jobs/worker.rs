//! A consumer of the distributed daily job's [`WorkQueue`]: `mystocks worker` runs one
//! over every live task until stopped, and the coordinating `mystocks daily` runs one
//! over its own task only. Each step reads a batch of new entries (or, when there are
//! none, claims entries another consumer left idle too long), computes and stores them,
//! counts them into their task's [`RedisTally`], announces what the tally says, and only
//! then acknowledges them. A consumer that dies before acknowledging leaves its entries
//! for the others.

use std::collections::HashMap;
use std::time::Duration;

use super::batch::StandardBatch;
use super::queue::{WorkItem, WorkQueue};
use super::reporter::Reporter;
use super::tally::{RedisTally, Tally, TallyError};
use super::tasks::open_tasks;
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
    /// Only this task's queue (the coordinator's own consumer); `None`: every live task.
    only_task: Option<String>,
    /// Tasks this consumer has read from (to leave their groups).
    joined: std::collections::BTreeSet<String>,
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
            only_task: None,
            joined: Default::default(),
        })
    }

    /// Reads `task_id`'s queue only (a job's own consumers take only its entries).
    pub fn only(mut self, task_id: &str) -> Self {
        self.only_task = Some(task_id.to_string());
        self
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
        let host = gethostname::gethostname().to_string_lossy().into_owned();
        let host: String =
            host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect();
        let host = if host.is_empty() { "localhost".to_string() } else { host };
        format!("{role}-{host}-{}", std::process::id())
    }

    /// The tasks to read: the own one, or every live task (retiring dead ones).
    async fn tasks(&self) -> anyhow::Result<Vec<String>> {
        Ok(match &self.only_task {
            Some(task) => vec![task.clone()],
            None => open_tasks(self.rt, self.bus, &self.link, &self.queue).await?.live,
        })
    }

    /// Reads (or claims) one batch and processes it.
    pub async fn step(&mut self) -> anyhow::Result<Step> {
        let tasks = self.tasks().await?;
        if tasks.is_empty() {
            // Nothing is open: look again after a read's wait.
            tokio::time::sleep(READ_BLOCK).await;
            return Ok(Step::Idle);
        }
        let mut items = self.queue.read(&self.name, &tasks, BATCH, READ_BLOCK).await?;
        for task in &tasks {
            if !items.is_empty() {
                break;
            }
            items = self.queue.claim_stale(&self.name, task, self.claim_idle, BATCH).await?;
        }
        if items.is_empty() {
            return Ok(Step::Idle);
        }
        self.joined.extend(items.iter().map(|i| i.task_id.clone()));
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
                        if tallied.completed {
                            let failures = tally.failures().await.unwrap_or_default();
                            let (p, t, f, s) = (tallied.processed, tallied.total, tallied.failed, tallied.started_ms);
                            reporter.complete(p, t, f, s, &failures).await?;
                        }
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
            self.queue.ack(&task_id, &ids).await?;
            symbols_done += symbols.len();
        }
        Ok(Step::Worked { symbols: symbols_done, completed })
    }

    /// Leaves the groups of the tasks it read from, where nothing is pending with it
    /// (best effort).
    pub async fn leave(&self) {
        for task in &self.joined {
            if let Err(e) = self.queue.leave(&self.name, task).await {
                tracing::debug!(consumer = %self.name, task, "did not leave the group: {e}");
            }
        }
    }

    /// Events this consumer published.
    pub fn events(&self) -> u64 {
        self.retired_events + self.reporters.values().map(|r| r.events()).sum::<u64>()
    }
}
