//! The daily job: the standard indicator set for every symbol after the close.
//!
//! The coordinator (`mystocks daily`) names the task (or takes the one to resume, with
//! the symbols and as-of time it was started with), publishes its start, and then runs
//! it one of two ways, chosen once from the configuration:
//! - embedded (no Redis): batches in this process, counted by a [`LocalTally`];
//! - distributed (Redis): the symbols go into the task's own
//!   [`WorkQueue`](super::queue::WorkQueue) stream and the coordinator consumes it like
//!   any `mystocks worker`, every consumer counting into one [`RedisTally`], until the
//!   task is complete. If Redis is lost on the way, the coordinator takes the task back
//!   and finishes it alone: symbols whose values are already stored are counted as
//!   done, the rest are computed here.
//!
//! A failing symbol is counted, its reason kept, and never stops the job. A stop request
//! (Ctrl-C, SIGTERM) ends the job between batches with the task marked interrupted;
//! `--resume` then skips symbols whose values are already stored for their latest bar.
//! Leftovers of tasks whose coordinator is gone are retired, never adopted.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

use super::batch::{StandardBatch, SymbolOutcome};
use super::reporter::Reporter;
use super::stop::Stop;
use super::tally::{Failure, LocalTally, RedisTally, Tally, FAILURES_KEPT};
use super::tasks::open_tasks;
use super::worker::{Consumer, Step, DEFAULT_CLAIM_IDLE};
use crate::bus::channels::valid_task_id;
use crate::bus::events::{EventBody, TaskProgress};
use crate::bus::{Bus, Delivered};
use crate::lock::LockService;
use crate::redis_link::RedisLink;
use crate::runtime::Runtime;
use crate::store::{JobRecord, JobStatus};

pub use super::batch::BARS;
pub use super::reporter::TASK_TYPE;

/// Symbols read and computed per batch in a single process.
const BATCH: usize = 500;

/// What to run.
#[derive(Debug, Clone)]
pub struct DailyOptions {
    /// Only these symbols (default: every symbol in the store). Repeats count once.
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
    /// `completed`, `interrupted`, or `already completed` (a resume of a finished task).
    pub status: String,
    /// `embedded` (no Redis), `single process` (`--local` with Redis), `distributed`, or
    /// `distributed, finished locally` after losing Redis.
    pub mode: String,
    /// Symbols in the job.
    pub total: u64,
    /// Symbols processed (by every worker, including skipped-as-done on resume).
    pub processed: u64,
    /// Symbols that failed.
    pub failed: u64,
    /// The first failed symbols (up to 1,000) and why.
    pub failures: Vec<Failure>,
    /// Symbols skipped because a previous run had done them.
    pub skipped: u64,
    /// Wall time.
    pub duration_seconds: f64,
    /// Events this process published.
    pub events: u64,
}

/// What the job tells its caller as it goes.
#[derive(Debug)]
pub enum DailyNotice<'a> {
    /// The task is set up: its id, size, and how it runs.
    Started {
        /// Task id.
        task_id: &'a str,
        /// Symbols in the job.
        total: u64,
        /// Symbols already done (resume).
        skipped: u64,
        /// `embedded`, `single process` or `distributed`.
        mode: &'a str,
    },
    /// A `task.progress` of the task, whoever published it.
    Progress(&'a TaskProgress),
}

/// What a run is about: the task and its symbols.
struct Plan {
    task_id: String,
    symbols: Vec<String>,
    until: Option<i64>,
    resumed: Option<JobRecord>,
}

/// Each symbol once, in the order given.
fn distinct(symbols: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::with_capacity(symbols.len());
    symbols.into_iter().filter(|s| seen.insert(s.clone())).collect()
}

/// Checks a task id given by a user.
pub fn check_task_id(id: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        valid_task_id(id),
        "bad task id `{}`: task ids are 1-64 letters, digits, `_` or `-` (e.g. calc_1767000000000)",
        id.chars().take(80).collect::<String>()
    );
    Ok(())
}

async fn plan(rt: &Runtime, opts: &DailyOptions) -> anyhow::Result<Plan> {
    let Some(id) = &opts.resume else {
        let symbols = match &opts.symbols {
            Some(s) => s.clone(),
            None => rt.store.list_symbols(usize::MAX >> 1, 0).await?.into_iter().map(|s| s.code).collect(),
        };
        let task_id = format!("calc_{}", chrono::Utc::now().timestamp_millis());
        return Ok(Plan { task_id, symbols: distinct(symbols), until: opts.until, resumed: None });
    };
    check_task_id(id)?;
    let record =
        rt.store.job(id).await?.ok_or_else(|| anyhow::anyhow!("unknown task `{id}` (`mystocks jobs` lists them)"))?;
    anyhow::ensure!(
        opts.symbols.is_none(),
        "--resume continues task {id} with the symbols it was started with; leave out --symbols"
    );
    let spec = record.spec.clone().unwrap_or_default();
    let until = spec.get("until").and_then(serde_json::Value::as_i64);
    if let Some(asked) = opts.until {
        anyhow::ensure!(Some(asked) == until, "--resume continues task {id} as of its own date; leave out --date");
    }
    let symbols = match spec.get("symbols").and_then(serde_json::Value::as_array) {
        Some(list) => list.iter().filter_map(|s| s.as_str().map(str::to_string)).collect(),
        None => {
            tracing::warn!(task = %id, "the task does not record its symbols (an older version started it): resuming over every symbol");
            rt.store.list_symbols(usize::MAX >> 1, 0).await?.into_iter().map(|s| s.code).collect()
        }
    };
    Ok(Plan { task_id: id.clone(), symbols: distinct(symbols), until, resumed: Some(record) })
}

/// Runs the daily job until it completes or `stop` is requested; `notice` hears the
/// start and the task's `task.progress` events, whoever published them (the CLI draws
/// them).
pub async fn run_daily(
    rt: &Runtime,
    bus: &dyn Bus,
    opts: DailyOptions,
    stop: &Stop,
    notice: &mut (dyn FnMut(DailyNotice<'_>) + Send),
) -> anyhow::Result<DailyReport> {
    let started = Instant::now();
    let plan = plan(rt, &opts).await?;
    // A resumed task keeps the start it was created with (its record, events and
    // duration describe the task, not this run).
    let started_ms = plan
        .resumed
        .as_ref()
        .and_then(|r| r.started_at)
        .map(|s| s * 1000)
        .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
    let task_id = plan.task_id.clone();
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
            // Redis down was said once at start-up; anything else is news.
            if rt.redis.as_ref().is_some_and(RedisLink::known_down) {
                tracing::debug!(task = %task_id, "running without the task lock: {e}");
            } else {
                tracing::warn!(task = %task_id, "running without the task lock: {e}");
            }
            None
        }
    };
    if let Some(record) = plan.resumed.as_ref().filter(|r| r.status == JobStatus::Completed) {
        if let Some(guard) = held {
            let _ = guard.release().await;
        }
        return Ok(DailyReport {
            task_id,
            status: "already completed".into(),
            mode: "none".into(),
            total: record.total.max(0) as u64,
            processed: record.processed.max(0) as u64,
            failed: record.failed.max(0) as u64,
            failures: Vec::new(),
            skipped: record.processed.max(0) as u64,
            duration_seconds: started.elapsed().as_secs_f64(),
            events: 0,
        });
    }
    if let Some(guard) = held.as_mut() {
        guard.start_watchdog();
    }
    let job = Job {
        rt,
        batch: StandardBatch::new(plan.until)?,
        symbols: plan.symbols,
        until: plan.until,
        started_ms,
        opts: &opts,
        stop,
    };
    let done = if plan.resumed.is_some() { job.batch.already_done(rt, &job.symbols).await? } else { HashSet::new() };
    let skipped = done.len() as u64;
    let reporter = Reporter::new(rt, bus, &task_id, job.batch.codes())?;
    // Nothing left (a resumed task that had finished): no queue to wait on. Redis known
    // to be down: no workers to share with.
    let link = rt.redis.clone().filter(|r| !opts.local_only && !r.known_down() && done.len() < job.symbols.len());
    let mode = match (&link, &rt.redis) {
        (Some(_), _) => "distributed",
        (None, Some(r)) if r.known_down() && !opts.local_only => "single process (Redis down)",
        (None, Some(_)) => "single process",
        (None, None) => "embedded",
    };
    notice(DailyNotice::Started { task_id: &task_id, total: job.total(), skipped, mode });
    let mut progress = ProgressFeed { rx: bus.subscribe(), notice, task_id: task_id.clone() };
    let finished = match link {
        Some(link) => job.run_distributed(link, bus, reporter, done, &mut progress).await?,
        None => {
            let reporter = reporter.writing_task_hash(rt.redis.clone());
            reporter.start(skipped, job.total(), started_ms, job.spec()).await?;
            let mut end = job.run_local(&reporter, done, &mut progress).await?;
            end.mode = mode;
            end.events = reporter.events();
            end
        }
    };
    rt.cache.flush().await;
    progress.drain();
    if let Some(guard) = held {
        let _ = guard.release().await;
    }
    Ok(DailyReport {
        task_id,
        status: if finished.interrupted { "interrupted" } else { "completed" }.to_string(),
        mode: finished.mode.to_string(),
        total: job.total(),
        processed: finished.processed,
        failed: finished.failed,
        failures: finished.failures,
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
    until: Option<i64>,
    started_ms: i64,
    opts: &'a DailyOptions,
    stop: &'a Stop,
}

/// How a run ended.
struct Finished {
    mode: &'static str,
    processed: u64,
    failed: u64,
    failures: Vec<Failure>,
    interrupted: bool,
    events: u64,
}

/// How a distributed run's consuming ended.
enum Consumed {
    Completed,
    Interrupted,
}

/// The failures among the symbols a batch counted now.
fn failures_of(outcomes: &[SymbolOutcome], counted: impl Iterator<Item = usize>) -> Vec<Failure> {
    counted
        .filter_map(|i| outcomes.get(i))
        .filter(|o| o.failed())
        .map(|o| Failure { symbol: o.symbol.clone(), reason: o.error.clone().unwrap_or_else(|| "failed".into()) })
        .collect()
}

impl Job<'_> {
    fn total(&self) -> u64 {
        self.symbols.len() as u64
    }

    /// What the task runs on, kept in its job record for a resume.
    fn spec(&self) -> serde_json::Value {
        serde_json::json!({"symbols": self.symbols, "until": self.until})
    }

    fn remaining(&self, done: &HashSet<String>) -> Vec<String> {
        self.symbols.iter().filter(|s| !done.contains(*s)).cloned().collect()
    }

    /// Runs what is not `done` in this process, until done or stopped.
    async fn run_local(
        &self,
        reporter: &Reporter<'_>,
        done: HashSet<String>,
        progress: &mut ProgressFeed<'_>,
    ) -> anyhow::Result<Finished> {
        let remaining = self.remaining(&done);
        let tally = LocalTally::new(self.total(), done, self.started_ms);
        let (mut processed, mut failed, mut failures) = (tally.processed(), 0, Vec::new());
        let mut interrupted = false;
        for chunk in remaining.chunks(BATCH) {
            if self.stop.requested() {
                interrupted = true;
                break;
            }
            let outcomes = self.batch.run(self.rt, chunk).await?;
            let tallied = tally.record(&outcomes).await?;
            failures.extend(failures_of(&outcomes, tallied.counted.iter().map(|c| c.index)));
            failures.truncate(FAILURES_KEPT);
            reporter.batch(&outcomes, &tallied).await?;
            (processed, failed) = (tallied.processed, tallied.failed);
            if tallied.completed {
                reporter.complete(processed, tally.total(), failed, tally.started_ms(), &failures).await?;
            }
            progress.drain();
        }
        if interrupted {
            reporter.interrupt(processed, self.total(), failed, self.started_ms, "stopped by a signal").await?;
        } else if tally.complete_if_done() {
            reporter.complete(processed, tally.total(), failed, tally.started_ms(), &failures).await?;
        }
        Ok(Finished { mode: "embedded", processed, failed, failures, interrupted, events: 0 })
    }

    /// Queues what is not `done` in the task's own stream and consumes it with any other
    /// workers until the task completes or is stopped; if Redis fails on the way, takes
    /// the task back and finishes it here.
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
        let name = Consumer::default_name("daily");
        let mut consumer = Consumer::new(rt, bus, link.clone(), name, self.opts.claim_idle)?.only(&task_id);
        let record = reporter.start(done.len() as u64, total, self.started_ms, self.spec()).await?;
        let consumed = async {
            // Tasks whose coordinator is gone are reported and retired, never adopted.
            open_tasks(rt, bus, &link, consumer.queue()).await?;
            let done_list: Vec<String> = done.iter().cloned().collect();
            tally.start(&record, &done_list, self.started_ms).await?;
            // A resumed task's old queue (entries of a dead run) goes first.
            consumer.queue().close_task(&task_id).await?;
            consumer.queue().open_task(&task_id, &self.remaining(&done), self.until).await?;
            consume_until(&mut consumer, &tally, &task_id, progress, self.stop).await
        }
        .await;
        let consumed = match consumed {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(task = %task_id, "distributed run interrupted ({e:#}); finishing in this process");
                let _ = tally.take_over().await;
                let done = self.batch.already_done(rt, &self.symbols).await?;
                let reporter = reporter.writing_task_hash(Some(link));
                let mut end = self.run_local(&reporter, done, progress).await?;
                let _ = consumer.queue().close_task(&task_id).await;
                end.mode = "distributed, finished locally";
                end.events = consumer.events() + reporter.events();
                return Ok(end);
            }
        };
        let (processed, failed) = tally.counts().await.unwrap_or((total, 0));
        let failures = tally.failures().await.unwrap_or_default();
        let interrupted = matches!(consumed, Consumed::Interrupted);
        let reporter = reporter.writing_task_hash(Some(link));
        if interrupted {
            let _ = tally.stop("interrupted").await;
            reporter.interrupt(processed, total, failed, self.started_ms, "stopped by a signal").await?;
        }
        if let Err(e) = consumer.queue().close_task(&task_id).await {
            tracing::warn!(task = %task_id, "could not close the task's queue: {e}");
        }
        consumer.leave().await;
        let events = consumer.events() + reporter.events();
        Ok(Finished { mode: "distributed", processed, failed, failures, interrupted, events })
    }
}

/// Consumes the task's queue until it is complete (by this consumer or any other) or a
/// stop is requested. Any Redis failure, or the task's hash vanishing (Redis restarted
/// empty), is an error: the caller finishes the task itself.
async fn consume_until(
    consumer: &mut Consumer<'_>,
    tally: &RedisTally,
    task_id: &str,
    progress: &mut ProgressFeed<'_>,
    stop: &Stop,
) -> anyhow::Result<Consumed> {
    loop {
        if stop.requested() {
            return Ok(Consumed::Interrupted);
        }
        let step = consumer.step().await?;
        progress.drain();
        if let Step::Worked { completed, .. } = &step {
            if completed.iter().any(|t| t == task_id) {
                return Ok(Consumed::Completed);
            }
        }
        match tally.status().await?.as_deref() {
            Some("completed") => return Ok(Consumed::Completed),
            Some("running") => {}
            other => anyhow::bail!("the task's status in Redis is {other:?}"),
        }
    }
}

/// Feeds the task's `task.progress` events, from whichever worker, to the caller.
struct ProgressFeed<'a> {
    rx: tokio::sync::broadcast::Receiver<Delivered>,
    notice: &'a mut (dyn FnMut(DailyNotice<'_>) + Send),
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
                            (self.notice)(DailyNotice::Progress(p));
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

/// The task's job record, for `mystocks jobs show`; an unknown or malformed id is an error.
pub async fn job_record(rt: &Runtime, task_id: &str) -> anyhow::Result<JobRecord> {
    check_task_id(task_id)?;
    rt.store
        .job(task_id)
        .await
        .context("reading the job record")?
        .ok_or_else(|| anyhow::anyhow!("unknown task `{task_id}` (`mystocks jobs` lists them)"))
}
