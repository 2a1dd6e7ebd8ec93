//! The store: the source of truth for symbols and bars, and the persistent tier (L3)
//! for indicator values and job records.
//!
//! One trait, [`Store`], with two backends chosen once at start-up from the URL:
//! [`sqlite::SqliteStore`] (embedded default, `sqlite://PATH`) and
//! [`postgres::PgStore`] (`postgres://...`). Callers hold an `Arc<dyn Store>` and never
//! ask which one it is. All SQL lives in the two backend files; migrations are embedded
//! from `migrations/{sqlite,postgres}` and applied on open (a second run is a no-op).
//!
//! The design document's L3 tier was TDengine. No TDengine server can be installed on
//! our machines, so it is not a backend now, but the trait is shaped for one: writes
//! come in batches ([`Store::import_bars`], [`Store::upsert_indicator_values`]) and
//! reads are by symbol and time range, which is what a TDengine super-table per
//! frequency with one sub-table per symbol serves. Adding it means one more file here
//! and one more arm in [`open`]; no caller changes.
//!
//! Times are UTC epoch seconds (`ts`). A daily bar's `ts` is midnight UTC of its date.

pub mod postgres;
pub mod shared_reads;
pub mod sqlite;
pub mod time;

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A listed instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Symbol {
    /// Code, e.g. `000001` or `AAPL`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Exchange, e.g. `SZ`, `SH`, `US`.
    pub exchange: String,
    /// Listing date (`YYYY-MM-DD`), when known.
    pub listed_on: Option<String>,
}

/// One OHLCV bar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Bar {
    /// Bar time, UTC epoch seconds.
    pub ts: i64,
    /// Open.
    pub open: f64,
    /// High.
    pub high: f64,
    /// Low.
    pub low: f64,
    /// Close.
    pub close: f64,
    /// Volume.
    pub volume: f64,
}

/// Bars of one symbol and frequency, oldest first: the unit of import.
#[derive(Debug, Clone, PartialEq)]
pub struct SymbolBars {
    /// Symbol code.
    pub symbol: String,
    /// Frequency, e.g. `1d`, `15m`.
    pub freq: String,
    /// The bars.
    pub bars: Vec<Bar>,
}

/// A range read: bars with `start <= ts <= end`, at most `limit` of the latest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BarRange {
    /// Inclusive lower bound (epoch seconds).
    pub start: Option<i64>,
    /// Inclusive upper bound (epoch seconds).
    pub end: Option<i64>,
    /// Keep only the latest `limit` bars of the range.
    pub limit: Option<usize>,
}

impl BarRange {
    /// The lower bound to bind (no bound: the smallest time).
    pub fn lower(&self) -> i64 {
        self.start.unwrap_or(i64::MIN)
    }

    /// The upper bound to bind (no bound: the largest time).
    pub fn upper(&self) -> i64 {
        self.end.unwrap_or(i64::MAX)
    }

    /// Checks that the range can hold a bar: a start after the end is a mistake, not an
    /// empty answer.
    pub fn check(&self) -> Result<(), String> {
        match (self.start, self.end) {
            (Some(s), Some(e)) if s > e => Err("the start is after the end".to_string()),
            _ => Ok(()),
        }
    }

    /// The LIMIT to bind (no limit: the largest count).
    pub fn limit_i64(&self) -> i64 {
        self.limit.map_or(i64::MAX, |l| l.min(i64::MAX as usize) as i64)
    }
}

/// Symbols an import names without metadata: code as name, no exchange. Inserted
/// without overwriting, so they never replace real metadata.
pub(crate) fn implied_symbols<'a>(batches: impl IntoIterator<Item = &'a SymbolBars>) -> Vec<Symbol> {
    batches
        .into_iter()
        .map(|b| Symbol { code: b.symbol.clone(), name: b.symbol.clone(), exchange: String::new(), listed_on: None })
        .collect()
}

/// The least revision the next write of bars may take: the time now in microseconds.
/// Revisions name bars in caches that outlive any one store (Redis): a store rebuilt
/// from scratch or restored from a backup must never give a series a revision that an
/// earlier store already gave other bars, or a value cached for those would match. The
/// counter still grows by one per write, so revisions stay ordered for the change feed.
pub(crate) fn revision_floor() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// The `span` of L3 rows that belong to a result over every bar of the series (what a
/// request without a range asks for); a span N > 0 is a result over the latest N bars.
pub const FULL_SERIES: u32 = 0;

/// What a read must know about a series before it trusts anything cached for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesState {
    /// The symbol is in the store.
    pub symbol_known: bool,
    /// The series' revision; `None` when it has no bars at that frequency.
    pub rev: Option<i64>,
}

/// A series written at revision `rev` (the change feed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesChange {
    /// Symbol code.
    pub symbol: String,
    /// Frequency.
    pub freq: String,
    /// The revision it was written at.
    pub rev: i64,
}

/// How many bars a series has and its first and last times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarSpan {
    /// Number of bars.
    pub bars: usize,
    /// First bar time.
    pub first_ts: i64,
    /// Last bar time.
    pub last_ts: i64,
}

/// One indicator result row of the L3 tier: all output values at one bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    /// Symbol code.
    pub symbol: String,
    /// Indicator code.
    pub code: String,
    /// `params_hash` (SPEC section 3).
    pub params_hash: String,
    /// Frequency.
    pub freq: String,
    /// Bar time.
    pub ts: i64,
    /// Output values in the indicator's output order; `None` inside the lookback.
    pub values: Vec<Option<f64>>,
    /// When the values were computed (epoch seconds), if known.
    pub computed_at: Option<i64>,
    /// [`FULL_SERIES`] for a result over every bar, N for one over the latest N bars.
    pub span: u32,
    /// The revision of the series the values were computed from.
    pub bars_rev: i64,
}

/// Status of a job (SPEC section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Created, not started.
    Pending,
    /// Running.
    Running,
    /// Finished.
    Completed,
    /// Stopped by an error.
    Failed,
    /// Stopped on request (a signal) or because its coordinator went away: `--resume`
    /// continues it.
    Interrupted,
}

impl JobStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Running => "running",
            JobStatus::Completed => "completed",
            JobStatus::Failed => "failed",
            JobStatus::Interrupted => "interrupted",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => JobStatus::Pending,
            "running" => JobStatus::Running,
            "completed" => JobStatus::Completed,
            "failed" => JobStatus::Failed,
            "interrupted" => JobStatus::Interrupted,
            _ => return None,
        })
    }
}

/// A job record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    /// Task id, e.g. `calc_1234567890`.
    pub task_id: String,
    /// Task type, e.g. `batch_daily`.
    pub task_type: String,
    /// Status.
    pub status: JobStatus,
    /// Progress, percent 0..=100.
    pub progress: f64,
    /// Symbols processed.
    pub processed: i64,
    /// Symbols in the job.
    pub total: i64,
    /// Symbols failed.
    pub failed: i64,
    /// Start (epoch seconds).
    pub started_at: Option<i64>,
    /// End (epoch seconds).
    pub finished_at: Option<i64>,
    /// Result summary (JSON), once finished.
    pub result: Option<serde_json::Value>,
    /// What the task was started with (JSON: `symbols`, `until`), for a resume.
    pub spec: Option<serde_json::Value>,
}

/// A symbol's latest quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Quote {
    /// Symbol code.
    pub symbol: String,
    /// Last price.
    pub price: f64,
    /// Volume.
    pub volume: f64,
    /// Quote time, epoch milliseconds.
    pub ts: i64,
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportStats {
    /// Symbols touched.
    pub symbols: usize,
    /// Bars written (inserted or updated).
    pub bars: usize,
    /// The revision the written series now have (0 when nothing was written).
    pub rev: i64,
}

/// Why a store operation failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The URL is not a supported store URL.
    #[error("unsupported store URL `{0}`: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    /// The database reported an error.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The database server did not answer.
    #[error("database server unreachable: {0}")]
    Unreachable(String),
    /// A migration failed.
    #[error("migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Stored data could not be decoded.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// Filesystem trouble creating the database file's folder.
    #[error("{path}: {error}")]
    Io {
        /// The path.
        path: String,
        /// The error (in the message, so not also a source: printed once).
        error: std::io::Error,
    },
}

/// Result alias for the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// The store interface. Every method is one round trip or one transaction.
#[async_trait]
pub trait Store: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Cheap liveness check.
    async fn ping(&self) -> StoreResult<()>;

    /// Inserts or updates symbols.
    async fn upsert_symbols(&self, symbols: &[Symbol]) -> StoreResult<()>;

    /// Symbols ordered by code.
    async fn list_symbols(&self, limit: usize, offset: usize) -> StoreResult<Vec<Symbol>>;

    /// Symbols whose code starts with `query` or whose name contains it (ASCII case
    /// ignored), ordered by code.
    async fn find_symbols(&self, query: &str, limit: usize, offset: usize) -> StoreResult<Vec<Symbol>>;

    /// One symbol.
    async fn symbol(&self, code: &str) -> StoreResult<Option<Symbol>>;

    /// Which of `codes` are in the store, in one round trip.
    async fn known_symbols(&self, codes: &[String]) -> StoreResult<std::collections::HashSet<String>>;

    /// Writes bars (and any new symbols, with `symbols` supplying metadata) in ONE
    /// transaction: all of it lands or none. Existing bars at the same
    /// (symbol, freq, ts) are updated, so re-importing never duplicates.
    async fn import_bars(&self, symbols: &[Symbol], batches: &[SymbolBars]) -> StoreResult<ImportStats>;

    /// [`Store::import_bars`], with each written (symbol, freq) series replaced whole:
    /// its bars not in the batch are deleted in the same transaction (a regenerated
    /// series, such as `demo-data` with another seed, keeps nothing of the old one).
    async fn replace_bars(&self, symbols: &[Symbol], batches: &[SymbolBars]) -> StoreResult<ImportStats>;

    /// Bars of one symbol in a range, oldest first.
    async fn read_bars(&self, symbol: &str, freq: &str, range: &BarRange) -> StoreResult<Vec<Bar>>;

    /// The latest `last_n` bars at or before `until` (epoch seconds; `i64::MAX` for no
    /// bound) of each symbol, oldest first, in one statement.
    async fn read_latest_bars(
        &self,
        symbols: &[String],
        freq: &str,
        last_n: usize,
        until: i64,
    ) -> StoreResult<HashMap<String, Vec<Bar>>>;

    /// Whether the symbol exists and the revision of its series at `freq`, in one
    /// round trip. Read it before the bars: a result is then never labelled newer than
    /// the bars it was computed from.
    async fn series_state(&self, symbol: &str, freq: &str) -> StoreResult<SeriesState>;

    /// The revisions of several symbols' series at `freq` (symbols without bars absent).
    async fn series_revs(&self, symbols: &[String], freq: &str) -> StoreResult<HashMap<String, i64>>;

    /// The number of bars of a series and its first and last times (`None`: no bars).
    async fn bar_span(&self, symbol: &str, freq: &str) -> StoreResult<Option<BarSpan>>;

    /// The latest revision given to any write of bars.
    async fn latest_rev(&self) -> StoreResult<i64>;

    /// The series written after revision `after`, oldest first, at most `limit`.
    async fn series_changed_since(&self, after: i64, limit: usize) -> StoreResult<Vec<SeriesChange>>;

    /// Inserts or updates indicator rows (one transaction).
    async fn upsert_indicator_values(&self, rows: &[IndicatorRow]) -> StoreResult<()>;

    /// Replaces every row of one result (the symbol, code, params_hash, freq and span of
    /// `rows`, which must all share them) by `rows`, in one transaction: a reader sees
    /// the old result or the new one, never a mixture.
    async fn replace_indicator_values(&self, rows: &[IndicatorRow]) -> StoreResult<()>;

    /// Indicator rows of one (symbol, code, params_hash, freq, span) in a range, oldest first.
    async fn read_indicator_values(
        &self,
        symbol: &str,
        code: &str,
        params_hash: &str,
        freq: &str,
        span: u32,
        range: &BarRange,
    ) -> StoreResult<Vec<IndicatorRow>>;

    /// The latest row per symbol for one (code, params_hash, freq, span).
    async fn latest_indicator_values(
        &self,
        code: &str,
        params_hash: &str,
        freq: &str,
        span: u32,
        symbols: &[String],
    ) -> StoreResult<Vec<IndicatorRow>>;

    /// Deletes every indicator row of these symbols (cache invalidation); returns the count.
    async fn delete_indicator_values(&self, symbols: &[String]) -> StoreResult<u64>;

    /// Inserts or replaces a job record.
    async fn upsert_job(&self, job: &JobRecord) -> StoreResult<()>;

    /// One job record.
    async fn job(&self, task_id: &str) -> StoreResult<Option<JobRecord>>;

    /// The latest `limit` job records, newest first (without their `spec`).
    async fn list_jobs(&self, limit: usize) -> StoreResult<Vec<JobRecord>>;

    /// Stores quotes, one transaction: each replaces its symbol's stored quote unless
    /// that one is newer. Returns the quotes that were stored (the others were stale).
    async fn upsert_quotes(&self, quotes: &[Quote]) -> StoreResult<Vec<Quote>>;

    /// A symbol's latest stored quote.
    async fn quote(&self, symbol: &str) -> StoreResult<Option<Quote>>;

    /// Keeps an invalidation Redis could not carry (the invalidation outbox), one entry
    /// per symbol, until [`Store::clear_invalidations`].
    async fn queue_invalidations(&self, symbols: &[String]) -> StoreResult<()>;

    /// The oldest `limit` queued invalidations: `(id, symbol)`.
    async fn queued_invalidations(&self, limit: usize) -> StoreResult<Vec<(i64, String)>>;

    /// Removes queued invalidations once carried out (by id: entries queued meanwhile stay).
    async fn clear_invalidations(&self, ids: &[i64]) -> StoreResult<()>;

    /// Whether an invalidation of `symbol` is queued (its L2 values may be stale).
    async fn invalidation_queued(&self, symbol: &str) -> StoreResult<bool>;
}

/// The distinct (symbol, freq) series of an import, sorted (the order writers lock in).
pub(crate) fn written_series(batches: &[&SymbolBars]) -> Vec<(String, String)> {
    let mut series: Vec<(String, String)> = batches.iter().map(|b| (b.symbol.clone(), b.freq.clone())).collect();
    series.sort();
    series.dedup();
    series
}

/// Opens the store for `url`, creating and migrating it as needed.
pub async fn open(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::open(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()))
    }
}

/// Each symbol once, first occurrence first: a batched read asked for a symbol twice
/// must still return its bars once.
pub(crate) fn distinct_symbols(symbols: &[String]) -> Vec<&str> {
    let mut seen = std::collections::HashSet::with_capacity(symbols.len());
    symbols.iter().map(String::as_str).filter(|s| seen.insert(*s)).collect()
}

/// Encodes indicator output values as the JSON array both backends store.
pub(crate) fn encode_values(values: &[Option<f64>]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".to_string())
}

/// Decodes [`encode_values`].
pub(crate) fn decode_values(text: &str) -> StoreResult<Vec<Option<f64>>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("indicator values `{text}`: {e}")))
}

/// `query` as a LIKE pattern's literal part: `%`, `_` and the escape `\` escaped.
pub fn like_literal(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    for c in query.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
