//! The daily job: the standard indicator set for every symbol after the close.
//!
//! Reads the latest 250 bars of each symbol in batches, computes the set on the
//! blocking pool, writes each result to the cache (L1/L2) and its latest values to the
//! store (L3), keeps the task's status in the store's job record (and Redis hash
//! `task:{id}` when Redis is configured), and publishes exactly the events SPEC section
//! 4 lists on `events:tasks`, `events:task:{id}` and `events:indicators`. A failing symbol
//! is counted and never stops the job. `--resume` skips symbols whose latest values are
//! already stored for their latest bar.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use super::progress::ProgressThrottle;
use crate::bus::channels::Channel;
use crate::bus::events::{Event, EventBody, StockIndicatorsCompleted, TaskCompleted, TaskProgress, TaskResult};
use crate::bus::Bus;
use crate::cache::{compute_result, latest_row, IndicatorRequest, IndicatorResult};
use crate::runtime::Runtime;
use crate::standard_set::standard_set;
use crate::store::{Bar, JobRecord, JobStatus};

/// Bars per symbol the job reads.
pub const BARS: usize = 250;
/// Symbols read and computed per batch.
const BATCH: usize = 500;
/// The task type of the daily job.
pub const TASK_TYPE: &str = "batch_daily";

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct DailyOptions {
    /// Only these symbols (default: every symbol in the store).
    pub symbols: Option<Vec<String>>,
    /// Continue this task instead of starting a new one.
    pub resume: Option<String>,
}

/// What happened.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DailyReport {
    /// Task id.
    pub task_id: String,
    /// Symbols in the job.
    pub total: u64,
    /// Symbols processed (including skipped-as-done on resume).
    pub processed: u64,
    /// Symbols that failed.
    pub failed: u64,
    /// Symbols skipped because a previous run had done them.
    pub skipped: u64,
    /// Wall time.
    pub duration_seconds: f64,
    /// Events published.
    pub events: u64,
}

struct Publisher<'a> {
    bus: &'a dyn Bus,
    task_channel: Channel,
    events: u64,
}

impl Publisher<'_> {
    async fn task(&mut self, body: EventBody) {
        let event = Event::now(body);
        for channel in [Channel::Tasks, self.task_channel.clone()] {
            if self.bus.publish(&channel, &event).await.is_ok() {
                self.events += 1;
            }
        }
    }

    async fn indicators(&mut self, body: EventBody) {
        if self.bus.publish(&Channel::Indicators, &Event::now(body)).await.is_ok() {
            self.events += 1;
        }
    }
}

fn progress_body(
    task_id: &str,
    status: &str,
    percent: f64,
    message: String,
    processed: u64,
    total: u64,
    failed: u64,
) -> EventBody {
    EventBody::TaskProgress(TaskProgress {
        task_id: task_id.to_string(),
        task_type: TASK_TYPE.to_string(),
        status: status.to_string(),
        progress: (percent * 100.0).round() / 100.0,
        message,
        processed,
        total,
        failed,
    })
}

/// Runs the daily job; `on_progress` sees every `task.progress` (the CLI draws it).
pub async fn run_daily(
    rt: &Runtime,
    bus: &dyn Bus,
    opts: DailyOptions,
    on_progress: &mut (dyn FnMut(&TaskProgress) + Send),
) -> anyhow::Result<DailyReport> {
    let started = Instant::now();
    let started_at = chrono::Utc::now().timestamp();
    let task_id = opts.resume.clone().unwrap_or_else(|| format!("calc_{}", chrono::Utc::now().timestamp_millis()));
    let task_channel =
        Channel::parse(&format!("events:task:{task_id}")).map_err(|e| anyhow::anyhow!("task id: {e}"))?;
    let symbols: Vec<String> = match &opts.symbols {
        Some(s) => s.clone(),
        None => rt.store.list_symbols(usize::MAX >> 1, 0).await?.into_iter().map(|s| s.code).collect(),
    };
    let set = standard_set()?;
    let requests_for = |symbol: &str| -> anyhow::Result<Vec<IndicatorRequest>> {
        Ok(set
            .iter()
            .map(|m| IndicatorRequest::from_resolved(symbol, m.spec, m.params.clone(), "1d"))
            .collect::<Result<_, _>>()?)
    };
    let total = symbols.len() as u64;
    let mut record = JobRecord {
        task_id: task_id.clone(),
        task_type: TASK_TYPE.to_string(),
        status: JobStatus::Running,
        progress: 0.0,
        processed: 0,
        total: total as i64,
        failed: 0,
        started_at: Some(started_at),
        finished_at: None,
        result: None,
    };
    save_status(rt, &record).await?;
    let mut publisher = Publisher { bus, task_channel, events: 0 };
    let start = progress_body(&task_id, "running", 0.0, format!("Starting {total} symbols"), 0, total, 0);
    if let EventBody::TaskProgress(p) = &start {
        on_progress(p);
    }
    publisher.task(start).await;

    let mut throttle = ProgressThrottle::new(total);
    let (mut processed, mut failed, mut skipped) = (0u64, 0u64, 0u64);
    let codes: Vec<String> = set.iter().map(|m| m.spec.code.to_string()).collect();
    for chunk in symbols.chunks(BATCH) {
        let bars = rt.store.read_latest_bars(chunk, "1d", BARS).await?;
        let done =
            if opts.resume.is_some() { already_done(rt, chunk, &bars, &requests_for).await? } else { HashSet::new() };
        // Compute the chunk on the blocking pool, every core busy.
        let work: Vec<(String, Vec<Bar>, Vec<IndicatorRequest>)> = chunk
            .iter()
            .filter(|s| !done.contains(*s))
            .map(|s| Ok((s.clone(), bars.get(s).cloned().unwrap_or_default(), requests_for(s)?)))
            .collect::<anyhow::Result<_>>()?;
        let cache = rt.cache.clone();
        let computed = tokio::task::spawn_blocking(move || {
            use rayon::prelude::*;
            work.into_par_iter()
                .map(|(symbol, bars, reqs)| {
                    let t = Instant::now();
                    // Serialised here, on every core, for the L2 write.
                    let results: Vec<Option<(IndicatorRequest, IndicatorResult, String, String)>> = reqs
                        .into_iter()
                        .map(|r| {
                            if bars.is_empty() {
                                return None;
                            }
                            let v = compute_result(&r, &bars).ok()?;
                            let json = serde_json::to_string(&v).ok()?;
                            let key = cache.key(&r);
                            Some((r, v, key, json))
                        })
                        .collect();
                    (symbol, results, t.elapsed().as_secs_f64() * 1e3)
                })
                .collect::<Vec<_>>()
        })
        .await?;
        // Per symbol: (successes, attempts, ms) for its event; the payloads move on to L2/L3.
        let mut outcome: std::collections::HashMap<String, (u64, u64, f64)> = std::collections::HashMap::new();
        let mut to_cache = Vec::new();
        let mut rows = Vec::new();
        for (symbol, results, ms) in computed {
            let attempts = results.len() as u64;
            let mut ok = 0;
            for (req, value, key, json) in results.into_iter().flatten() {
                ok += 1;
                rows.extend(latest_row(&req, &value));
                to_cache.push((key, json));
            }
            outcome.insert(symbol, (ok, attempts, ms));
        }
        rt.cache.put_batch_l2(to_cache).await;
        if !rows.is_empty() {
            rt.timeseries.upsert_indicator_values(&rows).await?;
        }
        for symbol in chunk {
            processed += 1;
            if done.contains(symbol) {
                skipped += 1;
            } else if let Some(&(ok, attempts, ms)) = outcome.get(symbol) {
                if ok < attempts {
                    failed += 1;
                }
                publisher
                    .indicators(EventBody::StockIndicatorsCompleted(StockIndicatorsCompleted {
                        stock_code: symbol.clone(),
                        indicators: codes.clone(),
                        success_count: ok,
                        failed_count: attempts - ok,
                        calculation_time_ms: (ms * 1000.0).round() / 1000.0,
                        from_cache_count: 0,
                    }))
                    .await;
            }
            if throttle.after(processed) {
                let percent = throttle.percent(processed);
                let body = progress_body(
                    &task_id,
                    "running",
                    percent,
                    format!("Processing {symbol} ({processed}/{total})"),
                    processed,
                    total,
                    failed,
                );
                if let EventBody::TaskProgress(p) = &body {
                    on_progress(p);
                }
                publisher.task(body).await;
                record.progress = percent;
                record.processed = processed as i64;
                record.failed = failed as i64;
                save_status(rt, &record).await?;
            }
        }
    }
    rt.cache.flush().await;
    let duration = started.elapsed().as_secs_f64();
    record.status = JobStatus::Completed;
    record.progress = 100.0;
    record.processed = processed as i64;
    record.failed = failed as i64;
    record.finished_at = Some(chrono::Utc::now().timestamp());
    record.result = Some(serde_json::json!({"success": processed - failed, "failed": failed}));
    save_status(rt, &record).await?;
    publisher
        .task(EventBody::TaskCompleted(TaskCompleted {
            task_id: task_id.clone(),
            task_type: TASK_TYPE.to_string(),
            status: "completed".into(),
            duration_seconds: (duration * 1000.0).round() / 1000.0,
            result: TaskResult { success: processed - failed, failed },
        }))
        .await;
    Ok(DailyReport { task_id, total, processed, failed, skipped, duration_seconds: duration, events: publisher.events })
}

/// How long the Redis task hash is kept (SPEC section 3).
const TASK_HASH_TTL_SECS: i64 = 7 * 86_400;

/// Records the task's status: the store's job record, and the Redis hash
/// `{REDIS_CACHE_PREFIX}task:{task_id}` when Redis is configured (best effort: a Redis
/// failure never stops the job).
async fn save_status(rt: &Runtime, record: &JobRecord) -> anyhow::Result<()> {
    rt.store.upsert_job(record).await?;
    if let Some(link) = &rt.redis {
        let key = format!("{}task:{}", rt.config.cache_prefix, record.task_id);
        let fields: Vec<(&str, String)> = vec![
            ("status", record.status.as_str().to_string()),
            ("progress", format!("{:.2}", record.progress)),
            ("processed", record.processed.to_string()),
            ("total", record.total.to_string()),
            ("failed", record.failed.to_string()),
            ("started_at", record.started_at.map(|t| t.to_string()).unwrap_or_default()),
            ("finished_at", record.finished_at.map(|t| t.to_string()).unwrap_or_default()),
        ];
        let mut pipe = redis::pipe();
        pipe.hset_multiple(&key, &fields).ignore().expire(&key, TASK_HASH_TTL_SECS).ignore();
        if let Err(e) = link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await {
            tracing::debug!(key, "task hash not written: {e}");
        }
    }
    Ok(())
}

/// Symbols of `chunk` whose nine latest values are stored at their latest bar.
async fn already_done(
    rt: &Runtime,
    chunk: &[String],
    bars: &std::collections::HashMap<String, Vec<Bar>>,
    requests_for: &dyn Fn(&str) -> anyhow::Result<Vec<IndicatorRequest>>,
) -> anyhow::Result<HashSet<String>> {
    let Some(first) = chunk.first() else { return Ok(HashSet::new()) };
    let mut done: HashSet<String> = chunk.iter().cloned().collect();
    for req in requests_for(first)? {
        let latest = rt.timeseries.latest_indicator_values(req.spec.code, &req.params_hash, "1d", chunk).await?;
        let at: std::collections::HashMap<&str, i64> = latest.iter().map(|r| (r.symbol.as_str(), r.ts)).collect();
        done.retain(|s| bars.get(s).and_then(|b| b.last()).is_some_and(|last| at.get(s.as_str()) == Some(&last.ts)));
    }
    Ok(done)
}

/// The bus the configuration asks for: Redis when configured with Pub/Sub, else in-process.
pub fn bus_for(rt: &Runtime) -> Arc<dyn Bus> {
    match rt.redis.clone().filter(|r| r.config().enable_pubsub) {
        Some(link) => Arc::new(crate::bus::redis::RedisBus::new(link, &rt.config.pubsub_prefix)),
        None => Arc::new(crate::bus::local::LocalBus::new()),
    }
}
