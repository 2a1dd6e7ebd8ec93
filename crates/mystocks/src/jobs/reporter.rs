//! What a task tells the world, from what its [`Tally`](super::tally::Tally) decided:
//! the SPEC section 4 events on `events:tasks`, `events:task:{id}` and
//! `events:indicators`, and the task's status in the store's job record (and in the Redis
//! hash `task:{id}` when the tally is local but Redis is configured; a Redis tally keeps
//! that hash itself). Publishing is best effort: an event the bus cannot take is not
//! counted, and never stops the job.

use std::sync::atomic::{AtomicU64, Ordering};

use super::batch::SymbolOutcome;
use super::tally::{task_hash_fields, task_hash_key, Failure, Tallied, TASK_HASH_TTL_SECS};
use crate::bus::channels::Channel;
use crate::bus::events::{Event, EventBody, StockIndicatorsCompleted, TaskCompleted, TaskProgress, TaskResult};
use crate::bus::Bus;
use crate::redis_link::RedisLink;
use crate::runtime::Runtime;
use crate::store::{JobRecord, JobStatus};

/// The task type of the daily job.
pub const TASK_TYPE: &str = "batch_daily";

/// Failures listed in a job record's result (the report lists up to
/// [`super::tally::FAILURES_KEPT`]).
const FAILURES_IN_RECORD: usize = 100;

/// Rounds to `digits` decimals, for event fields.
fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

/// A task's voice: its events and status records.
pub struct Reporter<'a> {
    rt: &'a Runtime,
    bus: &'a dyn Bus,
    task_id: String,
    task_channel: Channel,
    codes: Vec<String>,
    hash: Option<RedisLink>,
    events: AtomicU64,
}

impl<'a> Reporter<'a> {
    /// The reporter of `task_id`; `codes` are the set's indicators (per-symbol events).
    pub fn new(rt: &'a Runtime, bus: &'a dyn Bus, task_id: &str, codes: Vec<String>) -> anyhow::Result<Self> {
        let task_channel =
            Channel::parse(&format!("events:task:{task_id}")).map_err(|e| anyhow::anyhow!("task id: {e}"))?;
        Ok(Self { rt, bus, task_id: task_id.to_string(), task_channel, codes, hash: None, events: AtomicU64::new(0) })
    }

    /// Also writes the Redis task hash (for a local tally while Redis is configured).
    pub fn writing_task_hash(mut self, link: Option<RedisLink>) -> Self {
        self.hash = link;
        self
    }

    /// The task id.
    pub fn task_id(&self) -> &str {
        &self.task_id
    }

    /// The task's own channel.
    pub fn task_channel(&self) -> &Channel {
        &self.task_channel
    }

    /// Events published so far.
    pub fn events(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }

    async fn publish(&self, channel: &Channel, event: &Event) {
        if self.bus.publish(channel, event).await.is_ok() {
            self.events.fetch_add(1, Ordering::Relaxed);
        }
    }

    async fn publish_all(&self, events: &[(Channel, Event)]) {
        let published = self.bus.publish_all(events).await.iter().filter(|r| r.is_ok()).count();
        self.events.fetch_add(published as u64, Ordering::Relaxed);
    }

    async fn task_event(&self, body: EventBody) {
        let event = Event::now(body);
        self.publish(&Channel::Tasks, &event).await;
        self.publish(&self.task_channel.clone(), &event).await;
    }

    fn progress(&self, message: String, processed: u64, total: u64, failed: u64) -> EventBody {
        let percent = if total == 0 { 100.0 } else { processed as f64 * 100.0 / total as f64 };
        EventBody::TaskProgress(TaskProgress {
            task_id: self.task_id.clone(),
            task_type: TASK_TYPE.to_string(),
            status: "running".to_string(),
            progress: round(percent, 2),
            message,
            processed,
            total,
            failed,
        })
    }

    /// The start: status running, one `task.progress`; returns the job record written,
    /// with `spec` (what the task runs on, for a resume).
    pub async fn start(
        &self,
        processed: u64,
        total: u64,
        started_ms: i64,
        spec: serde_json::Value,
    ) -> anyhow::Result<JobRecord> {
        let mut record = self.record(JobStatus::Running, processed, total, 0, started_ms, None, None);
        record.spec = Some(spec);
        self.save(&record).await?;
        self.task_event(self.progress(format!("Starting {total} symbols"), processed, total, 0)).await;
        Ok(record)
    }

    /// The task stopped before the end (a signal, or its coordinator went away): status
    /// interrupted, one last `task.progress` saying so and how to go on.
    pub async fn interrupt(
        &self,
        processed: u64,
        total: u64,
        failed: u64,
        started_ms: i64,
        why: &str,
    ) -> anyhow::Result<()> {
        let now = chrono::Utc::now().timestamp();
        let record = self.record(JobStatus::Interrupted, processed, total, failed, started_ms, Some(now), None);
        self.save(&record).await?;
        let message = format!(
            "Interrupted ({why}) at {processed}/{total}; `mystocks daily --resume {}` continues it",
            self.task_id
        );
        let mut body = self.progress(message, processed, total, failed);
        if let EventBody::TaskProgress(p) = &mut body {
            p.status = JobStatus::Interrupted.as_str().to_string();
        }
        self.task_event(body).await;
        Ok(())
    }

    /// Announces what recording `outcomes` counted: one `stock.indicators.completed`
    /// per symbol counted now, a `task.progress` where due, and the completion if this
    /// batch completed the task. The batch's events go to the bus together, in order.
    pub async fn batch(&self, outcomes: &[SymbolOutcome], tallied: &Tallied) -> anyhow::Result<()> {
        let mut events = Vec::with_capacity(tallied.counted.len() + 4);
        let mut last_due = None;
        for c in &tallied.counted {
            let Some(o) = outcomes.get(c.index) else { continue };
            let body = EventBody::StockIndicatorsCompleted(StockIndicatorsCompleted {
                stock_code: o.symbol.clone(),
                indicators: self.codes.clone(),
                success_count: o.ok,
                failed_count: o.attempts - o.ok,
                calculation_time_ms: round(o.ms, 3),
                from_cache_count: 0,
            });
            events.push((Channel::Indicators, Event::now(body)));
            if c.progress_due {
                let message = format!("Processing {} ({}/{})", o.symbol, c.processed, tallied.total);
                let event = Event::now(self.progress(message, c.processed, tallied.total, c.failed));
                events.push((Channel::Tasks, event.clone()));
                events.push((self.task_channel.clone(), event));
                last_due = Some(c);
            }
        }
        self.publish_all(&events).await;
        if let Some(c) = last_due.filter(|_| !tallied.completed) {
            let record =
                self.record(JobStatus::Running, c.processed, tallied.total, c.failed, tallied.started_ms, None, None);
            self.save(&record).await?;
        }
        Ok(())
    }

    /// The end: status completed (the record's result lists the first `failures`), one
    /// `task.completed`.
    pub async fn complete(
        &self,
        processed: u64,
        total: u64,
        failed: u64,
        started_ms: i64,
        failures: &[Failure],
    ) -> anyhow::Result<()> {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let shown = &failures[..failures.len().min(FAILURES_IN_RECORD)];
        let result = serde_json::json!({"success": processed - failed, "failed": failed, "failures": shown});
        let record =
            self.record(JobStatus::Completed, processed, total, failed, started_ms, Some(now_ms / 1000), Some(result));
        self.save(&record).await?;
        self.task_event(EventBody::TaskCompleted(TaskCompleted {
            task_id: self.task_id.clone(),
            task_type: TASK_TYPE.to_string(),
            status: "completed".into(),
            duration_seconds: round((now_ms - started_ms) as f64 / 1e3, 3),
            result: TaskResult { success: processed - failed, failed },
        }))
        .await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        status: JobStatus,
        processed: u64,
        total: u64,
        failed: u64,
        started_ms: i64,
        finished_at: Option<i64>,
        result: Option<serde_json::Value>,
    ) -> JobRecord {
        let progress = if total == 0 { 100.0 } else { processed as f64 * 100.0 / total as f64 };
        JobRecord {
            task_id: self.task_id.clone(),
            task_type: TASK_TYPE.to_string(),
            status,
            progress: round(progress, 2),
            processed: processed as i64,
            total: total as i64,
            failed: failed as i64,
            started_at: Some(started_ms / 1000),
            finished_at,
            result,
            spec: None,
        }
    }

    /// Writes the job record (and the Redis hash when asked to; best effort).
    async fn save(&self, record: &JobRecord) -> anyhow::Result<()> {
        self.rt.store.upsert_job(record).await?;
        if let Some(link) = &self.hash {
            let key = task_hash_key(&self.rt.config.cache_prefix, &record.task_id);
            let fields = task_hash_fields(record);
            let mut pipe = redis::pipe();
            pipe.hset_multiple(&key, &fields).ignore().expire(&key, TASK_HASH_TTL_SECS).ignore();
            if let Err(e) = link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await {
                tracing::debug!(key, "task hash not written: {e}");
            }
        }
        Ok(())
    }
}
