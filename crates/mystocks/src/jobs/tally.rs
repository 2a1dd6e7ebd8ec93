//! A task's counters: which symbols are done, how many failed, when a `task.progress` is
//! due ([`ProgressThrottle`]'s rule) and who completes the task. One [`Tally`] trait,
//! two backends: in-process ([`LocalTally`]) for a single process, and Redis
//! ([`RedisTally`]) where every worker of a distributed job counts into the task hash
//! `task:{id}` and its done-set by one Lua script, so the counters aggregate across
//! workers, a symbol redelivered after a crash is counted once, and exactly one caller
//! sees the task complete.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use async_trait::async_trait;

use super::batch::SymbolOutcome;
use super::progress::{ProgressThrottle, EVERY_SYMBOLS};
use crate::redis_link::{LinkError, RedisLink};
use crate::store::JobRecord;

/// How long the Redis task hash and done-set are kept (SPEC section 3).
pub const TASK_HASH_TTL_SECS: i64 = crate::bus::channels::TASK_TTL_SECS;

/// The Redis hash of a task: `{REDIS_CACHE_PREFIX}task:{task_id}` (SPEC section 3).
pub fn task_hash_key(cache_prefix: &str, task_id: &str) -> String {
    format!("{cache_prefix}task:{task_id}")
}

/// SPEC section 3's fields of the task hash, from the job record.
pub fn task_hash_fields(record: &JobRecord) -> Vec<(&'static str, String)> {
    let epoch = |t: Option<i64>| t.map(|t| t.to_string()).unwrap_or_default();
    vec![
        ("status", record.status.as_str().to_string()),
        ("progress", format!("{:.2}", record.progress)),
        ("processed", record.processed.to_string()),
        ("total", record.total.to_string()),
        ("failed", record.failed.to_string()),
        ("started_at", epoch(record.started_at)),
        ("finished_at", epoch(record.finished_at)),
    ]
}

/// One symbol counted for the first time.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    /// Its position in the recorded batch.
    pub index: usize,
    /// The task's processed count once it was counted.
    pub processed: u64,
    /// The task's failed count then.
    pub failed: u64,
    /// A `task.progress` is due at this symbol.
    pub progress_due: bool,
}

/// What recording a batch changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Tallied {
    /// The symbols counted now (not those counted before, by anyone).
    pub counted: Vec<Counted>,
    /// This call completed the task: its caller, and only it, announces completion.
    pub completed: bool,
    /// Totals after the call.
    pub processed: u64,
    /// Failed symbols after the call.
    pub failed: u64,
    /// Symbols in the task.
    pub total: u64,
    /// When the task started, epoch milliseconds.
    pub started_ms: i64,
}

/// Why a batch could not be counted.
#[derive(Debug, thiserror::Error)]
pub enum TallyError {
    /// The task is not being counted here (unknown, finished, or taken over after Redis
    /// was lost): the batch's results are stored, nothing more is owed.
    #[error("task is not running in this tally")]
    NotRunning,
    /// Redis did not answer.
    #[error(transparent)]
    Redis(#[from] LinkError),
}

/// A task's counters.
#[async_trait]
pub trait Tally: Send + Sync {
    /// Counts `outcomes`; symbols counted before are skipped.
    async fn record(&self, outcomes: &[SymbolOutcome]) -> Result<Tallied, TallyError>;
}

struct LocalState {
    done: HashSet<String>,
    processed: u64,
    failed: u64,
    throttle: ProgressThrottle,
    completed: bool,
}

/// The counters of a task run in this process.
pub struct LocalTally {
    state: Mutex<LocalState>,
    total: u64,
    started_ms: i64,
}

impl LocalTally {
    /// A task over `total` symbols of which `done` are already done (counted, no events).
    pub fn new(total: u64, done: HashSet<String>, started_ms: i64) -> Self {
        let processed = done.len() as u64;
        let state = LocalState {
            done,
            processed,
            failed: 0,
            throttle: ProgressThrottle::starting_at(total, processed),
            completed: false,
        };
        Self { state: Mutex::new(state), total, started_ms }
    }

    /// Symbols counted so far.
    pub fn processed(&self) -> u64 {
        self.state.lock().map(|s| s.processed).unwrap_or(0)
    }

    /// Symbols in the task.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// When the task started, epoch milliseconds.
    pub fn started_ms(&self) -> i64 {
        self.started_ms
    }

    /// Marks the task completed without a batch (all symbols were done already); true
    /// for the one caller that completes it.
    pub fn complete_if_done(&self) -> bool {
        let Ok(mut s) = self.state.lock() else { return false };
        if s.processed >= self.total && !s.completed {
            s.completed = true;
            return true;
        }
        false
    }
}

#[async_trait]
impl Tally for LocalTally {
    async fn record(&self, outcomes: &[SymbolOutcome]) -> Result<Tallied, TallyError> {
        let mut s = self.state.lock().map_err(|_| TallyError::NotRunning)?;
        let mut counted = Vec::new();
        for (index, o) in outcomes.iter().enumerate() {
            if !s.done.insert(o.symbol.clone()) {
                continue;
            }
            s.processed += 1;
            s.failed += u64::from(o.failed());
            let processed = s.processed;
            let progress_due = s.throttle.after(processed);
            counted.push(Counted { index, processed, failed: s.failed, progress_due });
        }
        let completed = s.processed >= self.total && !s.completed;
        s.completed |= completed;
        Ok(Tallied {
            counted,
            completed,
            processed: s.processed,
            failed: s.failed,
            total: self.total,
            started_ms: self.started_ms,
        })
    }
}

/// Failure reasons kept per task (the count is exact; the list keeps the first ones).
pub const FAILURES_KEPT: usize = 1000;

/// One symbol that failed, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// The symbol.
    pub symbol: String,
    /// Why.
    pub reason: String,
}

/// Counts a batch into the task hash (KEYS[1]) and done-set (KEYS[2]) while the hash
/// says the task is queued (`queue` = 1), and keeps the first failures' reasons in the
/// list KEYS[3]. ARGV: now (epoch s), TTL, the 50-symbol step, the failures kept, then
/// symbol, failed (0/1), reason triples. Returns completed, processed, failed, total,
/// started_ms, then index, processed, failed, due for each symbol counted now; or -1
/// when the task is not queued.
const RECORD: &str = r"
if redis.call('HGET', KEYS[1], 'queue') ~= '1' then return {-1} end
local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
local processed = tonumber(redis.call('HGET', KEYS[1], 'processed'))
local failed = tonumber(redis.call('HGET', KEYS[1], 'failed'))
local last = tonumber(redis.call('HGET', KEYS[1], 'last_reported') or '0')
local step = tonumber(ARGV[3])
local out = {0, 0, 0, total, tonumber(redis.call('HGET', KEYS[1], 'started_ms') or '0')}
local kept = tonumber(ARGV[4])
for i = 5, #ARGV, 3 do
  if redis.call('SADD', KEYS[2], ARGV[i]) == 1 then
    processed = processed + 1
    if ARGV[i + 1] == '1' then
      failed = failed + 1
      if failed <= kept then redis.call('RPUSH', KEYS[3], ARGV[i] .. '\t' .. ARGV[i + 2]) end
    end
    local grown = processed - last
    local due = 0
    if grown >= step or grown * 100 >= total then
      last = processed
      due = 1
    end
    table.insert(out, (i - 5) / 3)
    table.insert(out, processed)
    table.insert(out, failed)
    table.insert(out, due)
  end
end
if processed >= total and redis.call('HGET', KEYS[1], 'status') == 'running' then
  out[1] = 1
  redis.call('HSET', KEYS[1], 'status', 'completed', 'finished_at', ARGV[1])
end
local progress = 100
if total > 0 then progress = processed * 100 / total end
redis.call('HSET', KEYS[1], 'processed', processed, 'failed', failed, 'last_reported', last,
  'progress', string.format('%.2f', progress))
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[2])
out[2] = processed
out[3] = failed
return out
";

static RECORD_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(RECORD));

/// The counters of a distributed task, in Redis.
#[derive(Clone)]
pub struct RedisTally {
    link: RedisLink,
    hash: String,
    done: String,
    failures: String,
}

impl RedisTally {
    /// The tally of `task_id` under the cache prefix.
    pub fn new(link: RedisLink, cache_prefix: &str, task_id: &str) -> Self {
        let hash = task_hash_key(cache_prefix, task_id);
        let done = format!("{hash}:done");
        let failures = format!("{hash}:failures");
        Self { link, hash, done, failures }
    }

    /// The reasons of the first [`FAILURES_KEPT`] failed symbols, in the order counted.
    pub async fn failures(&self) -> Result<Vec<Failure>, LinkError> {
        let key = self.failures.clone();
        let items: Vec<String> = self
            .link
            .run(|mut c| async move { redis::cmd("LRANGE").arg(&key).arg(0).arg(-1).query_async(&mut c).await })
            .await?;
        Ok(items
            .into_iter()
            .map(|item| match item.split_once('\t') {
                Some((symbol, reason)) => Failure { symbol: symbol.to_string(), reason: reason.to_string() },
                None => Failure { symbol: item, reason: String::new() },
            })
            .collect())
    }

    /// Marks the task `status` (interrupted, failed) and stops workers counting into it.
    pub async fn stop(&self, status: &str) -> Result<(), LinkError> {
        let hash = self.hash.clone();
        let mut pipe = redis::pipe();
        pipe.hdel(&hash, "queue").ignore().hset(&hash, "status", status).ignore();
        pipe.expire(&hash, TASK_HASH_TTL_SECS).ignore();
        self.link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await
    }

    /// Starts (or restarts, for `--resume`) the task from its running job `record`:
    /// `done` counted already, and queued so workers may count into it.
    pub async fn start(&self, record: &JobRecord, done: &[String], started_ms: i64) -> Result<(), LinkError> {
        let (hash, set) = (self.hash.clone(), self.done.clone());
        let mut fields = task_hash_fields(record);
        // The tally's own fields beside SPEC's: exact start, last progress event, and
        // whether workers may count into it.
        fields.extend([
            ("started_ms", started_ms.to_string()),
            ("last_reported", record.processed.to_string()),
            ("queue", "1".to_string()),
        ]);
        let mut pipe = redis::pipe();
        pipe.atomic().del(&set).ignore().del(&hash).ignore().del(&self.failures).ignore();
        for chunk in done.chunks(10_000) {
            pipe.sadd(&set, chunk).ignore();
        }
        pipe.hset_multiple(&hash, &fields)
            .ignore()
            .expire(&hash, TASK_HASH_TTL_SECS)
            .ignore()
            .expire(&set, TASK_HASH_TTL_SECS)
            .ignore();
        self.link.run(|mut c| async move { pipe.query_async::<()>(&mut c).await }).await
    }

    /// Stops workers from counting into this task (the coordinator counts on alone).
    pub async fn take_over(&self) -> Result<(), LinkError> {
        let hash = self.hash.clone();
        self.link
            .run(|mut c| async move { redis::cmd("HDEL").arg(&hash).arg("queue").query_async::<()>(&mut c).await })
            .await
    }

    /// The task's processed and failed counts.
    pub async fn counts(&self) -> Result<(u64, u64), LinkError> {
        let hash = self.hash.clone();
        let (p, f): (Option<u64>, Option<u64>) = self
            .link
            .run(|mut c| async move {
                redis::cmd("HMGET").arg(&hash).arg("processed").arg("failed").query_async(&mut c).await
            })
            .await?;
        Ok((p.unwrap_or(0), f.unwrap_or(0)))
    }

    /// The task's status field (`running`, `completed`, ...), if the hash exists.
    pub async fn status(&self) -> Result<Option<String>, LinkError> {
        let hash = self.hash.clone();
        self.link
            .run(|mut c| async move { redis::cmd("HGET").arg(&hash).arg("status").query_async(&mut c).await })
            .await
    }
}

#[async_trait]
impl Tally for RedisTally {
    async fn record(&self, outcomes: &[SymbolOutcome]) -> Result<Tallied, TallyError> {
        let mut call = RECORD_SCRIPT.key(&self.hash);
        call.key(&self.done)
            .key(&self.failures)
            .arg(chrono::Utc::now().timestamp())
            .arg(TASK_HASH_TTL_SECS)
            .arg(EVERY_SYMBOLS)
            .arg(FAILURES_KEPT);
        for o in outcomes {
            call.arg(&o.symbol).arg(u8::from(o.failed())).arg(o.error.as_deref().unwrap_or("failed"));
        }
        let out: Vec<i64> = self.link.run(|mut c| async move { call.invoke_async(&mut c).await }).await?;
        if out.first().is_none_or(|&v| v < 0) || out.len() < 5 {
            return Err(TallyError::NotRunning);
        }
        let counted = out[5..]
            .chunks_exact(4)
            .map(|q| Counted {
                index: q[0] as usize,
                processed: q[1] as u64,
                failed: q[2] as u64,
                progress_due: q[3] == 1,
            })
            .collect();
        Ok(Tallied {
            counted,
            completed: out[0] == 1,
            processed: out[1] as u64,
            failed: out[2] as u64,
            total: out[3] as u64,
            started_ms: out[4],
        })
    }
}
