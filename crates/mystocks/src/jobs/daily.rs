//! The daily job: the standard indicator set for every symbol after the close.
//!
//! The coordinator (`mystocks daily`) names the task, publishes its start, and then runs
//! it one of two ways, chosen once from the configuration:
//! - embedded (no Redis): batches in this process, counted by a [`LocalTally`];
//! - distributed (Redis): the symbols go into the [`WorkQueue`](super::queue::WorkQueue) and the coordinator
//!   consumes it like any `mystocks worker`, every consumer counting into one
//!   [`RedisTally`], until the task is complete. If Redis is lost on the way, the
//!   coordinator takes the task back and finishes it alone: symbols whose values are
//!   already stored are counted as done, the rest are computed here.
//!
//! A failing symbol is counted and never stops the job. `--resume` skips symbols whose
//! values are already stored for their latest bar.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::batch::StandardBatch;
use super::reporter::Reporter;
use super::tally::{LocalTally, RedisTally, Tally};
use super::worker::{Consumer, Step, DEFAULT_CLAIM_IDLE};
use crate::bus::events::{EventBody, TaskProgress};
use crate::bus::{Bus, Delivered};
use crate::lock::LockService;
use crate::redis_link::RedisLink;
use crate::runtime::Runtime;

pub use super::batch::BARS;
pub use super::reporter::TASK_TYPE;

/// Symbols read and computed per batch in a single process.
const BATCH: usize = 500;

/// What to run.
#[derive(Debug, Clone)]
pub struct DailyOptions {
    /// Only these symbols (default: every symbol in the store).
    pub symbols: Option<Vec<String>>,
    /// Continue this task instead of starting a new one.
    pub resume: Option<String>,
    /// Values as of this time (epoch seconds, inclusive); default the latest bars.
    pub until: Option<i64>,
    /// Run in this process even when Redis is configured.
    pub local_only: bool,
    /// How long another consumer's entries may sit unacknowledged before they are
    /// claimed (distributed mode).
    pub claim_idle: Duration,
}

impl Default for DailyOptions {
    fn default() -> Self {
        Self { symbols: None, resume: None, until: None, local_only: false, claim_idle: DEFAULT_CLAIM_IDLE }
    }
}

/// What happened.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DailyReport {
    /// Task id.
    pub task_id: String,
    /// `embedded` (no Redis), `single process` (`--local` with Redis), `distributed`, or
    /// `distributed, finished locally` after losing Redis.
    pub mode: String,
    /// Symbols in the job.
    pub total: u64,
    /// Symbols processed (by every worker, including skipped-as-done on resume).
    pub processed: u64,
    /// Symbols that failed.
    pub failed: u64,
    /// Symbols skipped because a previous run had done them.
    pub skipped: u64,
    /// Wall time.
    pub duration_seconds: f64,
    /// Events this process published.
    pub events: u64,
}

/// Runs the daily job; `on_progress` sees the task's `task.progress` events, whoever
/// published them (the CLI draws them).
pub async fn run_daily(
    rt: &Runtime,
    bus: &dyn Bus,
    opts: DailyOptions,
    on_progress: &mut (dyn FnMut(&TaskProgress) + Send),
) -> anyhow::Result<DailyReport> {
    let started = Instant::now();
    let started_ms = chrono::Utc::now().timestamp_millis();
    let task_id = opts.resume.clone().unwrap_or_else(|| format!("calc_{started_ms}"));
    let symbols: Vec<String> = match &opts.symbols {
        Some(s) => s.clone(),
        None => rt.store.list_symbols(usize::MAX >> 1, 0).await?.into_iter().map(|s| s.code).collect(),
    };
    // One coordinator per task: a `--resume` while the task still runs elsewhere would
    // reset counters that live workers are counting into.
    let resource = LockService::batch_resource(&task_id);
    let mut held = match rt.locks.acquire(&resource, rt.locks.default_ttl(), Duration::ZERO).await {
        Ok(Some(guard)) => Some(guard),
        Ok(None) => anyhow::bail!(
            "task {task_id} is being run by another process (lock {} is held; if that process died, \
             it expires within {} s)",
            rt.locks.key(&resource),
            rt.locks.default_ttl().as_secs()
        ),
        Err(e) => {
            tracing::warn!(task = %task_id, "running without the task lock: {e}");
            None
        }
    };
    if let Some(guard) = held.as_mut() {
        guard.start_watchdog();
    }
    let job = Job { rt, batch: StandardBatch::new(opts.until)?, symbols, started_ms, opts: &opts };
    let done = if opts.resume.is_some() { job.batch.already_done(rt, &job.symbols).await? } else { HashSet::new() };
    let skipped = done.len() as u64;
    let mut progress = ProgressFeed { rx: bus.subscribe(), on_progress, task_id: task_id.clone() };
    let reporter = Reporter::new(rt, bus, &task_id, job.batch.codes())?;

    // Nothing left (a resumed task that had finished): no queue to wait on.
    let link = rt.redis.clone().filter(|_| !opts.local_only && done.len() < job.symbols.len());
    let finished = match link {
        Some(link) => job.run_distributed(link, bus, reporter, done, &mut progress).await?,
        None => {
            let reporter = reporter.writing_task_hash(rt.redis.clone());
            reporter.start(skipped, job.total(), started_ms).await?;
            let (processed, failed) = job.run_local(&reporter, done, &mut progress).await?;
            let mode = if rt.redis.is_some() { "single process" } else { "embedded" };
            Finished { mode, processed, failed, events: reporter.events() }
        }
    };
    rt.cache.flush().await;
    progress.drain();
    if let Some(guard) = held {
        let _ = guard.release().await;
    }
    Ok(DailyReport {
        task_id,
        mode: finished.mode.to_string(),
        total: job.total(),
        processed: finished.processed,
        failed: finished.failed,
        skipped,
        duration_seconds: started.elapsed().as_secs_f64(),
        events: finished.events,
    })
}

/// One run of the job: what every way of running it needs.
struct Job<'a> {
    rt: &'a Runtime,
    batch: StandardBatch,
    symbols: Vec<String>,
    started_ms: i64,
    opts: &'a DailyOptions,
}

/// How a run ended.
struct Finished {
    mode: &'static str,
    processed: u64,
    failed: u64,
    events: u64,
}

impl Job<'_> {
    fn total(&self) -> u64 {
        self.symbols.len() as u64
    }

    fn remaining(&self, done: &HashSet<String>) -> Vec<String> {
        self.symbols.iter().filter(|s| !done.contains(*s)).cloned().collect()
    }

    /// Runs what is not `done` in this process; returns the final processed and failed
    /// counts.
    async fn run_local(
        &self,
        reporter: &Reporter<'_>,
        done: HashSet<String>,
        progress: &mut ProgressFeed<'_>,
    ) -> anyhow::Result<(u64, u64)> {
        let remaining = self.remaining(&done);
        let tally = LocalTally::new(self.total(), done, self.started_ms);
        let (mut processed, mut failed) = (tally.processed(), 0);
        for chunk in remaining.chunks(BATCH) {
            let outcomes = self.batch.run(self.rt, chunk).await?;
            let tallied = tally.record(&outcomes).await?;
            reporter.batch(&outcomes, &tallied).await?;
            (processed, failed) = (tallied.processed, tallied.failed);
            progress.drain();
        }
        if tally.complete_if_done() {
            reporter.complete(processed, tally.total(), failed, tally.started_ms()).await?;
        }
        Ok((processed, failed))
    }

    /// Queues what is not `done` and consumes the queue with any other workers until
    /// the task completes; if Redis fails on the way, takes the task back and finishes
    /// it here.
    async fn run_distributed<'b>(
        &self,
        link: RedisLink,
        bus: &'b dyn Bus,
        reporter: Reporter<'b>,
        done: HashSet<String>,
        progress: &mut ProgressFeed<'_>,
    ) -> anyhow::Result<Finished>
    where
        Self: 'b,
    {
        let (rt, task_id, total) = (self.rt, reporter.task_id().to_string(), self.total());
        let tally = RedisTally::new(link.clone(), &rt.config.cache_prefix, &task_id);
        let mut consumer = Consumer::new(rt, bus, link.clone(), Consumer::default_name("daily"), self.opts.claim_idle)?;
        let record = reporter.start(done.len() as u64, total, self.started_ms).await?;
        let finished = async {
            let done_list: Vec<String> = done.iter().cloned().collect();
            tally.start(&record, &done_list, self.started_ms).await?;
            consumer.queue().ensure_group().await?;
            consumer.queue().enqueue(&task_id, &self.remaining(&done), self.opts.until).await?;
            consume_until_complete(&mut consumer, &tally, &task_id, progress).await
        }
        .await;
        if let Err(e) = finished {
            tracing::warn!(task = %task_id, "distributed run interrupted ({e:#}); finishing in this process");
            let _ = tally.take_over().await;
            let done = self.batch.already_done(rt, &self.symbols).await?;
            let reporter = reporter.writing_task_hash(Some(link));
            let (processed, failed) = self.run_local(&reporter, done, progress).await?;
            let events = consumer.events() + reporter.events();
            return Ok(Finished { mode: "distributed, finished locally", processed, failed, events });
        }
        consumer.leave().await;
        let (processed, failed) = tally.counts().await.unwrap_or((total, 0));
        Ok(Finished { mode: "distributed", processed, failed, events: consumer.events() + reporter.events() })
    }
}

/// Consumes the queue until `task_id` is complete (by this consumer or any other).
/// Any Redis failure, or the task's hash vanishing (Redis restarted empty), is an error:
/// the caller finishes the task itself.
async fn consume_until_complete(
    consumer: &mut Consumer<'_>,
    tally: &RedisTally,
    task_id: &str,
    progress: &mut ProgressFeed<'_>,
) -> anyhow::Result<()> {
    loop {
        let step = consumer.step().await?;
        progress.drain();
        if let Step::Worked { completed, .. } = &step {
            if completed.iter().any(|t| t == task_id) {
                return Ok(());
            }
        }
        match tally.status().await?.as_deref() {
            Some("completed") => return Ok(()),
            Some("running") => {}
            other => anyhow::bail!("the task's status in Redis is {other:?}"),
        }
    }
}

/// Feeds the task's `task.progress` events, from whichever worker, to the caller.
struct ProgressFeed<'a> {
    rx: tokio::sync::broadcast::Receiver<Delivered>,
    on_progress: &'a mut (dyn FnMut(&TaskProgress) + Send),
    task_id: String,
}

impl ProgressFeed<'_> {
    fn drain(&mut self) {
        use tokio::sync::broadcast::error::TryRecvError;
        loop {
            match self.rx.try_recv() {
                Ok(d) => {
                    if let EventBody::TaskProgress(p) = &d.event.body {
                        if p.task_id == self.task_id && d.channel == crate::bus::channels::Channel::Tasks {
                            (self.on_progress)(p);
                        }
                    }
                }
                Err(TryRecvError::Lagged(_)) => continue,
                Err(_) => return,
            }
        }
    }
}

/// The bus the configuration asks for: Redis when configured with Pub/Sub, else in-process.
pub fn bus_for(rt: &Runtime) -> Arc<dyn Bus> {
    match rt.redis.clone().filter(|r| r.config().enable_pubsub) {
        Some(link) => Arc::new(crate::bus::redis::RedisBus::new(link, &rt.config.pubsub_prefix)),
        None => Arc::new(crate::bus::local::LocalBus::new()),
    }
}
