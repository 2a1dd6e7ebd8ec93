//! Daily jobs started by a long-running process (the server's `POST /api/jobs/daily`):
//! the same [`run_daily`] as `mystocks daily`, on a task of its own, answering with the
//! task id as soon as the task exists. Stopping the process stops them between batches,
//! marked interrupted (resumable), like Ctrl-C does for the command.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::daily::{run_daily, DailyNotice, DailyOptions};
use super::stop::Stop;
use crate::bus::Bus;
use crate::runtime::Runtime;

/// What a job reports as it goes, for the process's metrics.
pub trait JobObserver: Send + Sync {
    /// A `task.progress` of one of this process's jobs.
    fn progress(&self, task_id: &str, processed: u64, total: u64, failed: u64);
    /// A job ended (`completed`, `interrupted`, or `failed: ...`).
    fn finished(&self, task_id: &str, outcome: &str);
}

/// A running job: how to stop it, and its task.
type Running = (Stop, JoinHandle<()>);

/// The jobs this process runs; cheap to clone.
#[derive(Clone)]
pub struct BackgroundJobs {
    rt: Runtime,
    bus: Arc<dyn Bus>,
    observer: Arc<dyn JobObserver>,
    running: Arc<Mutex<HashMap<String, Running>>>,
}

impl BackgroundJobs {
    /// Jobs on `rt`, publishing on `bus`.
    pub fn new(rt: Runtime, bus: Arc<dyn Bus>, observer: Arc<dyn JobObserver>) -> Self {
        Self { rt, bus, observer, running: Arc::default() }
    }

    /// Starts a daily job; returns its task id once the job has its task id and its
    /// symbols (its record is written just after: until then [`Self::is_running`]
    /// answers for it), or the error that kept it from starting.
    pub async fn start(&self, opts: DailyOptions) -> anyhow::Result<String> {
        let (started_tx, started_rx) = oneshot::channel::<String>();
        let (failed_tx, failed_rx) = oneshot::channel::<anyhow::Error>();
        let stop = Stop::new();
        let (rt, bus, observer, running) =
            (self.rt.clone(), self.bus.clone(), self.observer.clone(), self.running.clone());
        let job_stop = stop.clone();
        let handle = tokio::spawn(async move {
            let mut started_tx = Some(started_tx);
            let mut task: Option<String> = None;
            let mut notice = |n: DailyNotice<'_>| match n {
                DailyNotice::Started { task_id, .. } => {
                    task = Some(task_id.to_string());
                    if let Some(tx) = started_tx.take() {
                        let _ = tx.send(task_id.to_string());
                    }
                }
                DailyNotice::Progress(p) => observer.progress(&p.task_id, p.processed, p.total, p.failed),
            };
            let outcome = run_daily(&rt, bus.as_ref(), opts, &job_stop, &mut notice).await;
            let task_id = task.clone();
            match outcome {
                Ok(report) => {
                    tracing::info!(task = %report.task_id, status = %report.status, "daily job ended");
                    // The final counts: a distributed job's last progress may not have
                    // been reported before it completed.
                    observer.progress(&report.task_id, report.processed, report.total, report.failed);
                    observer.finished(&report.task_id, &report.status);
                }
                Err(e) => match &task_id {
                    Some(id) => {
                        tracing::error!(task = %id, "daily job failed: {e:#}");
                        observer.finished(id, "failed");
                    }
                    None => {
                        let _ = failed_tx.send(e);
                    }
                },
            }
            if let (Some(id), Ok(mut map)) = (task_id, running.lock()) {
                map.remove(&id);
            }
        });
        match started_rx.await {
            Ok(task_id) => {
                if let Ok(mut map) = self.running.lock() {
                    // A job that has already ended is not kept.
                    if !handle.is_finished() {
                        map.insert(task_id.clone(), (stop, handle));
                    }
                }
                Ok(task_id)
            }
            Err(_) => Err(failed_rx.await.unwrap_or_else(|_| anyhow::anyhow!("the job stopped before it started"))),
        }
    }

    /// Whether this process started `task_id` and it has not ended (its record may not
    /// be written yet in the first moments).
    pub fn is_running(&self, task_id: &str) -> bool {
        self.running.lock().map(|m| m.contains_key(task_id)).unwrap_or(false)
    }

    /// How many jobs are running.
    pub fn running(&self) -> usize {
        self.running.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Asks every running job to stop between batches and waits for them (each marks
    /// its task interrupted).
    pub async fn stop_all(&self) {
        let jobs: Vec<Running> =
            self.running.lock().map(|mut m| m.drain().map(|(_, v)| v).collect()).unwrap_or_default();
        for (stop, _) in &jobs {
            stop.request();
        }
        for (_, handle) in jobs {
            let _ = handle.await;
        }
    }
}
