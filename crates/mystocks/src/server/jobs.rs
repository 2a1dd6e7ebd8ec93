//! `/api/jobs`: start a daily job (202 with its task id at once; it runs in the
//! background on the same code as `mystocks daily`, distributed when Redis is
//! configured), one task's status (the live Redis task hash when there is one, else the
//! store's job record), and the recent tasks.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{check_symbol, ApiQuery, OptionalJson};
use super::state::AppState;
use crate::bus::channels::valid_task_id;
use crate::jobs::daily::DailyOptions;
use crate::jobs::tally::task_hash_key;
use crate::store::JobRecord;

/// The read routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/jobs", get(list)).route("/api/jobs/{task_id}", get(one))
}

/// The write routes of this resource (behind the token check when one is configured).
pub fn write_router() -> Router<AppState> {
    Router::new().route("/api/jobs/daily", post(start))
}

/// What to run; both optional (no body at all runs the whole market).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DailyRequest {
    /// Values as of this day (`YYYY-MM-DD`, inclusive); default the latest bars.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub date: Option<String>,
    /// Only these symbols (repeats count once); default every symbol in the store.
    #[schema(min_items = 1, max_items = 100000)]
    pub symbols: Option<Vec<String>>,
}

impl super::extract::BodyShape for DailyRequest {
    const OPENS_WITH: u8 = b'{';
}

/// A started task.
#[derive(Debug, Serialize, ToSchema)]
pub struct Started {
    /// Its id: follow it at `GET /api/jobs/{task_id}` or on `events:task:{task_id}`.
    pub task_id: String,
}

/// Most symbols a request may list.
const MAX_SYMBOLS: usize = 100_000;

/// Starts the daily job over the whole market, or the listed symbols.
#[utoipa::path(post, path = "/api/jobs/daily", tag = "jobs",
    request_body(content = Option<DailyRequest>, description = "Optional: `date` and `symbols`"),
    responses(
        (status = 202, description = "Started; runs in the background", body = Started),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "A bearer token is required (JWT_SECRET is set)", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid date or symbols", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub async fn start(
    State(state): State<AppState>,
    OptionalJson(body): OptionalJson<DailyRequest>,
) -> ApiResult<Response> {
    let until = body
        .date
        .as_deref()
        .map(|d| crate::store::time::parse_day_end(d).map_err(|e| ApiError::Invalid(format!("`date`: {e}"))))
        .transpose()?;
    if let Some(symbols) = &body.symbols {
        if symbols.is_empty() || symbols.len() > MAX_SYMBOLS {
            return Err(ApiError::Invalid(format!("`symbols` must list 1 to {MAX_SYMBOLS} symbols")));
        }
        for s in symbols {
            check_symbol(s)?;
        }
    }
    let opts = DailyOptions { symbols: body.symbols, until, ..DailyOptions::default() };
    let task_id = state.jobs.start(opts).await.map_err(|e| match e.downcast::<crate::store::StoreError>() {
        Ok(store) => store.into(),
        Err(other) => ApiError::Invalid(format!("{other:#}")),
    })?;
    Ok((StatusCode::ACCEPTED, Json(Started { task_id })).into_response())
}

/// A task's status (SPEC section 3's task fields).
#[derive(Debug, Serialize, ToSchema)]
pub struct Task {
    /// Task id.
    pub task_id: String,
    /// Task type, `batch_daily`.
    pub task_type: String,
    /// `pending`, `running`, `completed`, `failed` or `interrupted` (resumable with
    /// `mystocks daily --resume`).
    pub status: String,
    /// Percent done, 0 to 100.
    pub progress: f64,
    /// Symbols processed.
    pub processed: i64,
    /// Symbols in the task.
    pub total: i64,
    /// Symbols failed.
    pub failed: i64,
    /// Start, RFC 3339 UTC.
    pub started_at: Option<String>,
    /// End, RFC 3339 UTC.
    pub finished_at: Option<String>,
    /// Once finished: `success` and `failed` counts and the first failures.
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    /// Where the figures come from: `redis` (the live task hash, all workers counted)
    /// or `store` (the job record).
    pub source: &'static str,
}

fn rfc3339(t: Option<i64>) -> Option<String> {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0)).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn task_of(j: JobRecord) -> Task {
    Task {
        task_id: j.task_id,
        task_type: j.task_type,
        status: j.status.as_str().to_string(),
        progress: j.progress,
        processed: j.processed,
        total: j.total,
        failed: j.failed,
        started_at: rfc3339(j.started_at),
        finished_at: rfc3339(j.finished_at),
        result: j.result,
        source: "store",
    }
}

/// The live figures of a running distributed task, from its Redis hash.
async fn live(state: &AppState, task_id: &str, mut task: Task) -> Task {
    let Some(link) = state.rt.redis.as_ref() else { return task };
    let key = task_hash_key(&state.rt.config.cache_prefix, task_id);
    let hash: Result<std::collections::HashMap<String, String>, _> =
        link.run(|mut c| async move { redis::cmd("HGETALL").arg(key).query_async(&mut c).await }).await;
    let Ok(hash) = hash else { return task };
    let int = |k: &str| hash.get(k).and_then(|v| v.parse::<i64>().ok());
    if let (Some(status), Some(processed)) = (hash.get("status"), int("processed")) {
        task.status.clone_from(status);
        task.processed = processed;
        task.total = int("total").unwrap_or(task.total);
        task.failed = int("failed").unwrap_or(task.failed);
        task.progress = hash.get("progress").and_then(|v| v.parse().ok()).unwrap_or(task.progress);
        task.source = "redis";
    }
    task
}

/// One task.
#[utoipa::path(get, path = "/api/jobs/{task_id}", tag = "jobs",
    params(("task_id" = String, Path, description = "Task id, e.g. calc_1767000000000", pattern = r"^[A-Za-z0-9_-]{1,64}$")),
    responses(
        (status = 200, description = "The task", body = Task),
        (status = 404, description = "Unknown task", body = ErrorBody),
        (status = 422, description = "Malformed task id", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ))]
pub async fn one(State(state): State<AppState>, Path(task_id): Path<String>) -> ApiResult<Json<Task>> {
    if !valid_task_id(&task_id) {
        return Err(ApiError::Invalid("bad task id (1-64 of A-Z a-z 0-9 _ -)".into()));
    }
    let record = state.rt.store.job(&task_id).await?;
    let Some(record) = record else {
        if state.jobs.is_running(&task_id) {
            // Accepted and starting: its record is being written.
            return Ok(Json(Task {
                task_id,
                task_type: "batch_daily".into(),
                status: "pending".into(),
                progress: 0.0,
                processed: 0,
                total: 0,
                failed: 0,
                started_at: None,
                finished_at: None,
                result: None,
                source: "store",
            }));
        }
        return Err(ApiError::NotFound(format!("unknown task `{task_id}`")));
    };
    let running = record.status.as_str() == "running";
    let task = task_of(record);
    Ok(Json(if running { live(&state, &task_id, task).await } else { task }))
}

/// How many.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Recent {
    /// At most this many, 1 to 1,000 (default 20).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

/// Recent tasks.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tasks {
    /// Newest first.
    pub jobs: Vec<Task>,
}

/// The recent tasks, newest first.
#[utoipa::path(get, path = "/api/jobs", tag = "jobs", params(Recent),
    responses(
        (status = 200, description = "Recent tasks", body = Tasks),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 422, description = "Invalid limit", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, ApiQuery(q): ApiQuery<Recent>) -> ApiResult<Json<Tasks>> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::Invalid("`limit` must be from 1 to 1000".into()));
    }
    let jobs = state.rt.store.list_jobs(limit).await?;
    Ok(Json(Tasks { jobs: jobs.into_iter().map(task_of).collect() }))
}
