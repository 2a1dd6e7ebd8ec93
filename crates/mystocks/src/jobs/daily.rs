//! The daily job: the standard indicator set for every symbol after the close.
//!
//! The coordinator (`mystocks daily`) names the task, publishes its start, and then runs
//! it one of two ways, chosen once from the configuration:
//! - embedded (no Redis): batches in this process, counted by a [`LocalTally`];
//! - distributed (Redis): the symbols go into the [`WorkQueue`] and the coordinator
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
    let batch = StandardBatch::new(opts.until)?;
    let done = if opts.resume.is_some() { batch.already_done(rt, &symbols).await? } else { HashSet::new() };
    let skipped = done.len() as u64;
    let total = symbols.len() as u64;
    let remaining: Vec<String> = symbols.iter().filter(|s| !done.contains(*s)).cloned().collect();
    let mut progress = ProgressFeed { rx: bus.subscribe(), on_progress, task_id: task_id.clone() };

    // Nothing left (a resumed task that had finished): no queue to wait on.
    let link = rt.redis.clone().filter(|_| !opts.local_only && !remaining.is_empty());
    let mut reporter = Reporter::new(rt, bus, &task_id, batch.codes())?;
    let (mode, processed, failed, events) = match link {
        Some(link) => {
            let tally = RedisTally::new(link.clone(), &rt.config.cache_prefix, &task_id);
            let done_list: Vec<String> = done.iter().cloned().collect();
            let mut consumer = Consumer::new(rt, bus, link.clone(), Consumer::default_name("daily"), opts.claim_idle)?;
            reporter.start(skipped, total, started_ms).await?;
            let queued = async {
                tally.start(total, &done_list, started_ms).await?;
                consumer.queue().ensure_group().await?;
                consumer.queue().enqueue(&task_id, &remaining, opts.until).await?;
                anyhow::Ok(())
            }
            .await;
            let finished = match queued {
                Ok(()) => consume_until_complete(&mut consumer, &tally, &task_id, &mut progress).await,
                Err(e) => Err(e),
            };
            match finished {
                Ok(()) => {
                    let (processed, failed) = tally.counts().await.unwrap_or((total, 0));
                    ("distributed".to_string(), processed, failed, consumer.events() + reporter.events())
                }
                Err(e) => {
                    tracing::warn!(task = %task_id, "distributed run interrupted ({e:#}); finishing in this process");
                    let _ = tally.take_over().await;
                    let done = batch.already_done(rt, &symbols).await?;
                    let remaining: Vec<String> = symbols.iter().filter(|s| !done.contains(*s)).cloned().collect();
                    reporter = reporter.writing_task_hash(Some(link));
                    let tally = LocalTally::new(total, done, started_ms);
                    let (p, f) = run_local(rt, &batch, &reporter, &tally, &remaining, &mut progress).await?;
                    ("distributed, finished locally".to_string(), p, f, consumer.events() + reporter.events())
                }
            }
        }
        None => {
            let reporter = reporter.writing_task_hash(rt.redis.clone());
            reporter.start(skipped, total, started_ms).await?;
            let tally = LocalTally::new(total, done, started_ms);
            let (p, f) = run_local(rt, &batch, &reporter, &tally, &remaining, &mut progress).await?;
            let mode = if rt.redis.is_some() { "single process" } else { "embedded" };
            (mode.to_string(), p, f, reporter.events())
        }
    };
    rt.cache.flush().await;
    progress.drain();
    Ok(DailyReport {
        task_id,
        mode,
        total,
        processed,
        failed,
        skipped,
        duration_seconds: started.elapsed().as_secs_f64(),
        events,
    })
}

/// Runs `remaining` in this process; returns the final processed and failed counts.
async fn run_local(
    rt: &Runtime,
    batch: &StandardBatch,
    reporter: &Reporter<'_>,
    tally: &LocalTally,
    remaining: &[String],
    progress: &mut ProgressFeed<'_>,
) -> anyhow::Result<(u64, u64)> {
    let (mut processed, mut failed) = (tally.processed(), 0);
    for chunk in remaining.chunks(BATCH) {
        let outcomes = batch.run(rt, chunk).await?;
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
