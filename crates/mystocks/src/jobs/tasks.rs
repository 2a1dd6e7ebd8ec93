//! The distributed tasks open in Redis, as a consumer sees them: a task is live while
//! its hash says `running`, workers may count into it, and its coordinator holds the
//! task lock `batch:{task_id}` (kept alive by a watchdog). A task whose coordinator is
//! gone is not adopted: the first consumer to notice takes the task lock itself (so no
//! resume can start meanwhile), marks the task interrupted (hash, job record, one last
//! `task.progress`), closes its queue and says so in the log; `mystocks daily --resume`
//! continues it. Finished tasks' leftover queues are closed the same way.

use super::queue::WorkQueue;
use super::reporter::Reporter;
use super::tally::{task_hash_key, RedisTally};
use crate::bus::Bus;
use crate::lock::LockService;
use crate::redis_link::{LinkError, RedisLink};
use crate::runtime::Runtime;

/// What the registry's tasks are.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OpenTasks {
    /// Tasks being run: their entries may be taken.
    pub live: Vec<String>,
    /// Tasks retired now because their coordinator was gone.
    pub retired: Vec<String>,
}

/// Sorts the registry's tasks into live ones, retiring the dead and closing the finished.
pub async fn open_tasks(
    rt: &Runtime,
    bus: &dyn Bus,
    link: &RedisLink,
    queue: &WorkQueue,
) -> Result<OpenTasks, LinkError> {
    let mut out = OpenTasks::default();
    for task in queue.tasks().await? {
        let hash = task_hash_key(&rt.config.cache_prefix, &task);
        let (status, queued): (Option<String>, Option<String>) =
            link.run(|mut c| async move {
                redis::cmd("HMGET").arg(&hash).arg("status").arg("queue").query_async(&mut c).await
            })
            .await?;
        let running = status.as_deref() == Some("running") && queued.as_deref() == Some("1");
        // Without Redis locks a coordinator's liveness cannot be seen from here.
        let coordinated = rt.locks.backend_name() != "redis"
            || rt.locks.is_locked(&LockService::batch_resource(&task)).await.unwrap_or(true);
        if running && coordinated {
            out.live.push(task);
            continue;
        }
        // Dead or finished: clean up under the task lock, so that a resume starting now
        // cannot be undone.
        let Ok(Some(guard)) = rt
            .locks
            .acquire(&LockService::batch_resource(&task), rt.locks.default_ttl(), std::time::Duration::ZERO)
            .await
        else {
            continue;
        };
        let tally = RedisTally::new(link.clone(), &rt.config.cache_prefix, &task);
        if tally.status().await?.as_deref() == Some("running") {
            retire(rt, bus, link, &tally, &task).await;
            out.retired.push(task.clone());
        }
        queue.close_task(&task).await?;
        let _ = guard.release().await;
    }
    Ok(out)
}

/// Marks a task whose coordinator is gone interrupted, everywhere it is recorded.
async fn retire(rt: &Runtime, bus: &dyn Bus, link: &RedisLink, tally: &RedisTally, task: &str) {
    let (processed, failed) = tally.counts().await.unwrap_or((0, 0));
    let record = rt.store.job(task).await.ok().flatten();
    let total = record.as_ref().map_or(processed, |r| r.total.max(0) as u64);
    let started_ms = record.as_ref().and_then(|r| r.started_at).unwrap_or(0) * 1000;
    if let Err(e) = tally.stop("interrupted").await {
        tracing::warn!(task, "could not mark the task interrupted in Redis: {e}");
    }
    match Reporter::new(rt, bus, task, Vec::new()) {
        Ok(reporter) => {
            let reporter = reporter.writing_task_hash(Some(link.clone()));
            if let Err(e) = reporter.interrupt(processed, total, failed, started_ms, "its coordinator is gone").await {
                tracing::warn!(task, "could not record the interruption: {e:#}");
            }
        }
        Err(e) => tracing::warn!(task, "{e:#}"),
    }
    tracing::warn!(
        task,
        "task {task} was left unfinished by a process that is gone ({processed} of {total} symbols done): \
         marked interrupted and its queue closed; `mystocks daily --resume {task}` continues it"
    );
}
