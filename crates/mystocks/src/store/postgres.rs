//! The distributed store on PostgreSQL.
//!
//! Imports stream the rows with `COPY` into a temporary staging table and merge them
//! with one `INSERT ... ON CONFLICT DO UPDATE`, all in one transaction: COPY speed,
//! upsert semantics (re-import never duplicates), all-or-nothing. Table layout (btree
//! on (symbol, freq, ts) plus BRIN on ts) is explained in the migration.

use std::collections::HashMap;
use std::fmt::Write as _;

use async_trait::async_trait;
use sqlx::postgres::{PgPoolOptions, PgRow};
use sqlx::{Connection, PgPool, Postgres, QueryBuilder, Row};

use super::*;

/// Rows per multi-row INSERT for the small tables (PostgreSQL allows 65,535 binds).
const ROWS_PER_STATEMENT: usize = 1000;

/// Concurrent statements a batched read is split into.
const READ_PARTS: usize = 4;

/// Imports into an empty table at least this large load without indexes, then build them.
const BULK_LOAD_ROWS: usize = 100_000;

/// Imports at least this large refresh the planner statistics of `bars`.
const ANALYZE_AFTER_ROWS: usize = 50_000;

/// How long opening the store waits for the server.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Bytes buffered before each COPY chunk is sent.
const COPY_CHUNK: usize = 1 << 20;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The PostgreSQL backend.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    async fn import_once(
        &self,
        symbols: &[Symbol],
        batches: &[&SymbolBars],
        replace: bool,
    ) -> StoreResult<ImportStats> {
        let mut tx = self.pool.begin().await?;
        // The revision first: its row lock orders concurrent writers of bars, so
        // revisions become visible in order (the change feed relies on it).
        let rev: i64 = if batches.is_empty() {
            0
        } else {
            sqlx::query_scalar(
                "update store_counters set value = greatest(value + 1, $1) where name = 'bars_rev' returning value",
            )
            .bind(super::revision_floor())
            .fetch_one(&mut *tx)
            .await?
        };
        if replace {
            let (syms, freqs): (Vec<&str>, Vec<&str>) =
                batches.iter().map(|b| (b.symbol.as_str(), b.freq.as_str())).unzip();
            sqlx::query(
                "delete from bars b using unnest($1::text[], $2::text[]) as s(symbol, freq) \
                 where b.symbol = s.symbol and b.freq = s.freq",
            )
            .bind(&syms)
            .bind(&freqs)
            .execute(&mut *tx)
            .await?;
        }
        insert_symbols(&mut tx, symbols, true).await?;
        let implied = implied_symbols(batches.iter().copied());
        insert_symbols(&mut tx, &implied, false).await?;
        let mut rows = 0usize;
        let mut text = String::with_capacity(COPY_CHUNK + 256);
        // New rows (the bulk case: a first import, or new days) go straight into `bars`
        // with COPY. If any key already exists, COPY fails with a unique violation; the
        // savepoint undoes just that attempt and the rows are merged through a staging
        // table with INSERT ... ON CONFLICT DO UPDATE instead.
        let total: usize = batches.iter().map(|b| b.bars.len()).sum();
        if total >= BULK_LOAD_ROWS && bulk_load_into_empty(&mut tx, batches, &mut text, &mut rows).await? {
            mark_series(&mut tx, batches, rev).await?;
            tx.commit().await?;
            return self.after_import(batches, rows, rev).await;
        }
        sqlx::query("savepoint direct_copy").execute(&mut *tx).await?;
        let direct = copy_bars(
            &mut tx,
            "copy bars (symbol, freq, ts, open, high, low, close, volume) from stdin",
            batches,
            &mut text,
            &mut rows,
        )
        .await;
        match direct {
            Ok(()) => {
                sqlx::query("release savepoint direct_copy").execute(&mut *tx).await?;
            }
            Err(StoreError::Database(sqlx::Error::Database(e))) if e.code().as_deref() == Some("23505") => {
                sqlx::query("rollback to savepoint direct_copy").execute(&mut *tx).await?;
                sqlx::query("create temporary table bars_stage (like bars including defaults) on commit drop")
                    .execute(&mut *tx)
                    .await?;
                rows = 0;
                copy_bars(
                    &mut tx,
                    "copy bars_stage (symbol, freq, ts, open, high, low, close, volume) from stdin",
                    batches,
                    &mut text,
                    &mut rows,
                )
                .await?;
                sqlx::query(
                    "insert into bars select * from bars_stage on conflict (symbol, freq, ts) do update set \
                     open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, \
                     volume = excluded.volume",
                )
                .execute(&mut *tx)
                .await?;
            }
            Err(e) => return Err(e),
        }
        mark_series(&mut tx, batches, rev).await?;
        tx.commit().await?;
        self.after_import(batches, rows, rev).await
    }

    async fn import(&self, symbols: &[Symbol], batches: &[SymbolBars], replace: bool) -> StoreResult<ImportStats> {
        // Every importer writes rows in (symbol, ts) order, so concurrent imports of
        // overlapping symbols take row locks in the same order; should PostgreSQL still
        // pick one as a deadlock victim, the whole (atomic) transaction is retried.
        let mut ordered: Vec<&SymbolBars> = batches.iter().collect();
        ordered.sort_by(|a, b| (&a.symbol, &a.freq).cmp(&(&b.symbol, &b.freq)));
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.import_once(symbols, &ordered, replace).await {
                Err(StoreError::Database(sqlx::Error::Database(e)))
                    if attempt < 4 && matches!(e.code().as_deref(), Some("40P01") | Some("40001")) =>
                {
                    tracing::warn!(attempt, "import aborted by a lock conflict, retrying: {e}");
                }
                other => return other,
            }
        }
    }

    async fn after_import(&self, batches: &[&SymbolBars], rows: usize, rev: i64) -> StoreResult<ImportStats> {
        if rows >= ANALYZE_AFTER_ROWS {
            // Fresh statistics let the planner walk the primary key for range reads right
            // away instead of waiting for autovacuum; a failure here costs only speed.
            if let Err(e) = sqlx::query("analyze bars").execute(&self.pool).await {
                tracing::warn!("analyze after import failed: {e}");
            }
        }
        let touched: std::collections::HashSet<&str> = batches.iter().map(|b| b.symbol.as_str()).collect();
        Ok(ImportStats { symbols: touched.len(), bars: rows, rev })
    }

    async fn read_latest_part(
        &self,
        symbols: &[String],
        freq: &str,
        last_n: usize,
        until: i64,
    ) -> StoreResult<HashMap<String, Vec<Bar>>> {
        // One row per symbol with the bars as arrays: 5,000 rows to decode instead of
        // 1.25 million, and the lateral LIMIT walks the primary key backwards. The
        // aggregates take no ORDER BY (six sorts per symbol otherwise); the newest-first
        // arrays are turned around here.
        let rows = sqlx::query(
            "select s.code, array_agg(b.ts), array_agg(b.open), array_agg(b.high), array_agg(b.low), \
                    array_agg(b.close), array_agg(b.volume) \
             from unnest($1::text[]) as s(code) \
             cross join lateral ( \
                 select ts, open, high, low, close, volume from bars \
                 where symbol = s.code and freq = $2 and ts <= $4 order by ts desc limit $3) b \
             group by s.code",
        )
        .bind(symbols)
        .bind(freq)
        .bind(last_n.min(i64::MAX as usize) as i64)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<String, Vec<Bar>> = HashMap::with_capacity(symbols.len());
        for row in &rows {
            let symbol: String = row.try_get(0)?;
            let ts: Vec<i64> = row.try_get(1)?;
            let cols: [Vec<f64>; 5] =
                [row.try_get(2)?, row.try_get(3)?, row.try_get(4)?, row.try_get(5)?, row.try_get(6)?];
            let mut bars: Vec<Bar> = (0..ts.len())
                .map(|i| Bar {
                    ts: ts[i],
                    open: cols[0][i],
                    high: cols[1][i],
                    low: cols[2][i],
                    close: cols[3][i],
                    volume: cols[4][i],
                })
                .collect();
            // The arrays come in the lateral scan's order, newest first; the checks keep
            // the result right whatever order the plan feeds the aggregates.
            if bars.is_sorted_by(|a, b| a.ts >= b.ts) {
                bars.reverse();
            } else if !bars.is_sorted_by_key(|b| b.ts) {
                bars.sort_unstable_by_key(|b| b.ts);
            }
            out.insert(symbol, bars);
        }
        Ok(out)
    }

    /// Connects to `url` and applies the migrations.
    pub async fn open(url: &str) -> StoreResult<Self> {
        // One plain connection first: a refused port or a bad password is reported at
        // once (the pool would keep retrying until its acquire timeout, silently).
        let first = tokio::time::timeout(CONNECT_TIMEOUT, sqlx::PgConnection::connect(url))
            .await
            .map_err(|_| StoreError::Unreachable(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())))??;
        let _ = first.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(std::time::Duration::from_secs(10))
            // Our statements are short index walks; JIT compiling them costs more (~0.1 s
            // on the batched read) than it can save.
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    sqlx::query("set jit = off").execute(conn).await?;
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// The pool, for benchmarks that time raw COPY beside the store's import.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// The initial load of an empty `bars` table, done the way PostgreSQL recommends for
/// bulk loads: COPY without the indexes, then build them once (a sorted build is much
/// cheaper than a million single inserts). Runs only when the table is empty, under an
/// exclusive lock (nobody can be reading an empty table's rows), and inside a savepoint,
/// so any surprise (say, two batches with the same key) falls back to the normal path.
/// Returns whether it loaded the rows.
async fn bulk_load_into_empty(
    tx: &mut sqlx::PgConnection,
    batches: &[&SymbolBars],
    buf: &mut String,
    rows: &mut usize,
) -> StoreResult<bool> {
    let empty = || sqlx::query_scalar::<_, bool>("select not exists (select 1 from bars)");
    if !empty().fetch_one(&mut *tx).await? {
        return Ok(false);
    }
    sqlx::query("savepoint bulk_load").execute(&mut *tx).await?;
    let attempt = async {
        sqlx::query("lock table bars in access exclusive mode").execute(&mut *tx).await?;
        if !empty().fetch_one(&mut *tx).await? {
            return Ok(false);
        }
        sqlx::query("alter table bars drop constraint bars_pkey").execute(&mut *tx).await?;
        sqlx::query("drop index if exists bars_ts_brin").execute(&mut *tx).await?;
        copy_bars(
            &mut *tx,
            "copy bars (symbol, freq, ts, open, high, low, close, volume) from stdin",
            batches,
            buf,
            rows,
        )
        .await?;
        sqlx::query("alter table bars add constraint bars_pkey primary key (symbol, freq, ts)")
            .execute(&mut *tx)
            .await?;
        sqlx::query("create index bars_ts_brin on bars using brin (ts)").execute(&mut *tx).await?;
        StoreResult::Ok(true)
    }
    .await;
    match attempt {
        Ok(true) => {
            sqlx::query("release savepoint bulk_load").execute(&mut *tx).await?;
            Ok(true)
        }
        other => {
            sqlx::query("rollback to savepoint bulk_load").execute(&mut *tx).await?;
            *rows = 0;
            if let Err(e) = other {
                tracing::debug!("bulk load fell back to the merge path: {e}");
            }
            Ok(false)
        }
    }
}

/// Streams `batches` into `statement` (a `COPY ... FROM STDIN`), counting rows.
async fn copy_bars(
    conn: &mut sqlx::PgConnection,
    statement: &str,
    batches: &[&SymbolBars],
    buf: &mut String,
    rows: &mut usize,
) -> StoreResult<()> {
    let mut copy = conn.copy_in_raw(statement).await?;
    buf.clear();
    for batch in batches {
        for bar in &batch.bars {
            push_copy_bar(buf, &batch.symbol, &batch.freq, bar);
            *rows += 1;
            if buf.len() >= COPY_CHUNK {
                if let Err(e) = copy.send(buf.as_bytes()).await {
                    let _ = copy.abort("send failed").await;
                    return Err(e.into());
                }
                buf.clear();
            }
        }
    }
    if !buf.is_empty() {
        copy.send(buf.as_bytes()).await?;
    }
    copy.finish().await?;
    Ok(())
}

/// Appends `text` as a COPY text-format field (backslash escapes).
fn push_copy_text(buf: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => buf.push_str("\\\\"),
            '\t' => buf.push_str("\\t"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            c => buf.push(c),
        }
    }
}

/// Appends one bar as a COPY text-format row (floats in shortest round-trip form).
pub(crate) fn push_copy_bar(buf: &mut String, symbol: &str, freq: &str, bar: &Bar) {
    let mut f = ryu::Buffer::new();
    push_copy_text(buf, symbol);
    buf.push('\t');
    push_copy_text(buf, freq);
    let _ = write!(buf, "\t{}", bar.ts);
    for v in [bar.open, bar.high, bar.low, bar.close, bar.volume] {
        buf.push('\t');
        buf.push_str(f.format(v));
    }
    buf.push('\n');
}

fn indicator_from(row: &PgRow) -> Result<IndicatorRow, sqlx::Error> {
    Ok(IndicatorRow {
        symbol: row.try_get("symbol")?,
        code: row.try_get("code")?,
        params_hash: row.try_get("params_hash")?,
        freq: row.try_get("freq")?,
        ts: row.try_get("ts")?,
        values: row.try_get("vals")?,
        computed_at: row.try_get("computed_at")?,
        span: row.try_get::<i32, _>("span")?.max(0) as u32,
        bars_rev: row.try_get("bars_rev")?,
    })
}

/// Gives revision `rev` to every series the import wrote (inside its transaction).
async fn mark_series(conn: &mut sqlx::PgConnection, batches: &[&SymbolBars], rev: i64) -> StoreResult<()> {
    let (symbols, freqs): (Vec<String>, Vec<String>) = written_series(batches).into_iter().unzip();
    sqlx::query(
        "insert into bar_series (symbol, freq, rev) select s, f, $3 from unnest($1::text[], $2::text[]) as t(s, f) \
         on conflict (symbol, freq) do update set rev = excluded.rev",
    )
    .bind(&symbols)
    .bind(&freqs)
    .bind(rev)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn insert_indicator_rows(conn: &mut sqlx::PgConnection, rows: &[IndicatorRow]) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
            "insert into indicator_values (symbol, code, params_hash, freq, span, ts, vals, computed_at, bars_rev) ",
        );
        qb.push_values(chunk, |mut b, r| {
            b.push_bind(&r.symbol)
                .push_bind(&r.code)
                .push_bind(&r.params_hash)
                .push_bind(&r.freq)
                .push_bind(r.span.min(i32::MAX as u32) as i32)
                .push_bind(r.ts)
                .push_bind(&r.values)
                .push_bind(r.computed_at)
                .push_bind(r.bars_rev);
        });
        qb.push(
            " on conflict (symbol, code, params_hash, freq, span, ts) do update set vals = excluded.vals, \
             computed_at = excluded.computed_at, bars_rev = excluded.bars_rev",
        );
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

fn json_column(text: Option<String>, what: &str) -> StoreResult<Option<serde_json::Value>> {
    text.map(|r| serde_json::from_str(&r).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))).transpose()
}

fn job_from(row: &PgRow) -> StoreResult<JobRecord> {
    let status: String = row.try_get("status")?;
    let result: Option<String> = row.try_get("result")?;
    Ok(JobRecord {
        task_id: row.try_get("task_id")?,
        task_type: row.try_get("task_type")?,
        status: JobStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("job status `{status}`")))?,
        progress: row.try_get("progress")?,
        processed: row.try_get("processed")?,
        total: row.try_get("total")?,
        failed: row.try_get("failed")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        result: json_column(result, "job result")?,
        spec: json_column(row.try_get("spec")?, "job spec")?,
    })
}

async fn insert_symbols(conn: &mut sqlx::PgConnection, symbols: &[Symbol], overwrite: bool) -> StoreResult<()> {
    for chunk in symbols.chunks(ROWS_PER_STATEMENT) {
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new("insert into symbols (code, name, exchange, listed_on) ");
        qb.push_values(chunk, |mut b, s| {
            b.push_bind(&s.code).push_bind(&s.name).push_bind(&s.exchange).push_bind(&s.listed_on);
        });
        qb.push(if overwrite {
            " on conflict (code) do update set name = excluded.name, exchange = excluded.exchange, \
             listed_on = coalesce(excluded.listed_on, symbols.listed_on)"
        } else {
            " on conflict (code) do nothing"
        });
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn upsert_symbols(&self, symbols: &[Symbol]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        insert_symbols(&mut tx, symbols, true).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_symbols(&self, limit: usize, offset: usize) -> StoreResult<Vec<Symbol>> {
        let symbols = sqlx::query_as::<_, Symbol>(
            "select code, name, exchange, listed_on from symbols order by code limit $1 offset $2",
        )
        .bind(limit.min(i64::MAX as usize) as i64)
        .bind(offset.min(i64::MAX as usize) as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(symbols)
    }

    async fn find_symbols(&self, query: &str, limit: usize, offset: usize) -> StoreResult<Vec<Symbol>> {
        let symbols = sqlx::query_as::<_, Symbol>(
            "select code, name, exchange, listed_on from symbols \
             where code ilike $1 || '%' escape '\\' or name ilike '%' || $1 || '%' escape '\\' \
             order by code limit $2 offset $3",
        )
        .bind(super::like_literal(query))
        .bind(limit.min(i64::MAX as usize) as i64)
        .bind(offset.min(i64::MAX as usize) as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(symbols)
    }

    async fn symbol(&self, code: &str) -> StoreResult<Option<Symbol>> {
        let symbol = sqlx::query_as::<_, Symbol>("select code, name, exchange, listed_on from symbols where code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(symbol)
    }

    async fn known_symbols(&self, codes: &[String]) -> StoreResult<std::collections::HashSet<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("select code from symbols where code = any($1)").bind(codes).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|(c,)| c).collect())
    }

    async fn import_bars(&self, symbols: &[Symbol], batches: &[SymbolBars]) -> StoreResult<ImportStats> {
        self.import(symbols, batches, false).await
    }

    async fn replace_bars(&self, symbols: &[Symbol], batches: &[SymbolBars]) -> StoreResult<ImportStats> {
        self.import(symbols, batches, true).await
    }

    async fn read_bars(&self, symbol: &str, freq: &str, range: &BarRange) -> StoreResult<Vec<Bar>> {
        let mut bars = sqlx::query_as::<_, Bar>(
            "select ts, open, high, low, close, volume from bars \
             where symbol = $1 and freq = $2 and ts >= $3 and ts <= $4 order by ts desc limit $5",
        )
        .bind(symbol)
        .bind(freq)
        .bind(range.lower())
        .bind(range.upper())
        .bind(range.limit_i64())
        .fetch_all(&self.pool)
        .await?;
        bars.reverse();
        Ok(bars)
    }

    async fn read_latest_bars(
        &self,
        symbols: &[String],
        freq: &str,
        last_n: usize,
        until: i64,
    ) -> StoreResult<HashMap<String, Vec<Bar>>> {
        // Split across a few connections: the server's index walks and our decoding then
        // run on every core instead of one after the other.
        let symbols: Vec<String> = super::distinct_symbols(symbols).into_iter().map(str::to_string).collect();
        let parts = symbols.len().div_ceil(READ_PARTS).max(1);
        let reads = symbols.chunks(parts).map(|chunk| self.read_latest_part(chunk, freq, last_n, until));
        let mut out: HashMap<String, Vec<Bar>> = HashMap::with_capacity(symbols.len());
        for part in futures::future::try_join_all(reads).await? {
            out.extend(part);
        }
        Ok(out)
    }

    async fn series_state(&self, symbol: &str, freq: &str) -> StoreResult<SeriesState> {
        let row: Option<(Option<i64>,)> = sqlx::query_as(
            "select b.rev from symbols s left join bar_series b on b.symbol = s.code and b.freq = $1 \
             where s.code = $2",
        )
        .bind(freq)
        .bind(symbol)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some((rev,)) => SeriesState { symbol_known: true, rev },
            None => SeriesState { symbol_known: false, rev: None },
        })
    }

    async fn series_revs(&self, symbols: &[String], freq: &str) -> StoreResult<HashMap<String, i64>> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("select symbol, rev from bar_series where symbol = any($1) and freq = $2")
                .bind(symbols)
                .bind(freq)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().collect())
    }

    async fn bar_span(&self, symbol: &str, freq: &str) -> StoreResult<Option<BarSpan>> {
        let (n, first, last): (i64, Option<i64>, Option<i64>) =
            sqlx::query_as("select count(*), min(ts), max(ts) from bars where symbol = $1 and freq = $2")
                .bind(symbol)
                .bind(freq)
                .fetch_one(&self.pool)
                .await?;
        Ok(match (first, last) {
            (Some(first_ts), Some(last_ts)) if n > 0 => Some(BarSpan { bars: n as usize, first_ts, last_ts }),
            _ => None,
        })
    }

    async fn latest_rev(&self) -> StoreResult<i64> {
        let rev: Option<i64> = sqlx::query_scalar("select value from store_counters where name = 'bars_rev'")
            .fetch_optional(&self.pool)
            .await?;
        Ok(rev.unwrap_or(0))
    }

    async fn series_changed_since(&self, after: i64, limit: usize) -> StoreResult<Vec<SeriesChange>> {
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as("select symbol, freq, rev from bar_series where rev > $1 order by rev limit $2")
                .bind(after)
                .bind(limit.min(i64::MAX as usize) as i64)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(symbol, freq, rev)| SeriesChange { symbol, freq, rev }).collect())
    }

    async fn upsert_indicator_values(&self, rows: &[IndicatorRow]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        insert_indicator_rows(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn replace_indicator_values(&self, rows: &[IndicatorRow]) -> StoreResult<()> {
        let Some(first) = rows.first() else { return Ok(()) };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "delete from indicator_values \
             where symbol = $1 and code = $2 and params_hash = $3 and freq = $4 and span = $5",
        )
        .bind(&first.symbol)
        .bind(&first.code)
        .bind(&first.params_hash)
        .bind(&first.freq)
        .bind(first.span.min(i32::MAX as u32) as i32)
        .execute(&mut *tx)
        .await?;
        insert_indicator_rows(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn read_indicator_values(
        &self,
        symbol: &str,
        code: &str,
        params_hash: &str,
        freq: &str,
        span: u32,
        range: &BarRange,
    ) -> StoreResult<Vec<IndicatorRow>> {
        let rows = sqlx::query(
            "select symbol, code, params_hash, freq, span, ts, vals, computed_at, bars_rev from indicator_values \
             where symbol = $1 and code = $2 and params_hash = $3 and freq = $4 and span = $5 \
               and ts >= $6 and ts <= $7 \
             order by ts desc limit $8",
        )
        .bind(symbol)
        .bind(code)
        .bind(params_hash)
        .bind(freq)
        .bind(span.min(i32::MAX as u32) as i32)
        .bind(range.lower())
        .bind(range.upper())
        .bind(range.limit_i64())
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows.iter().map(indicator_from).collect::<Result<Vec<_>, _>>()?;
        out.reverse();
        Ok(out)
    }

    async fn latest_indicator_values(
        &self,
        code: &str,
        params_hash: &str,
        freq: &str,
        span: u32,
        symbols: &[String],
    ) -> StoreResult<Vec<IndicatorRow>> {
        let rows = sqlx::query(
            "select distinct on (symbol) symbol, code, params_hash, freq, span, ts, vals, computed_at, bars_rev \
             from indicator_values \
             where code = $1 and params_hash = $2 and freq = $3 and span = $5 \
               and (cardinality($4::text[]) = 0 or symbol = any($4)) \
             order by symbol, ts desc",
        )
        .bind(code)
        .bind(params_hash)
        .bind(freq)
        .bind(symbols)
        .bind(span.min(i32::MAX as u32) as i32)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(indicator_from).collect::<Result<_, _>>()?)
    }

    async fn upsert_quotes(&self, quotes: &[Quote]) -> StoreResult<Vec<Quote>> {
        let now = chrono::Utc::now().timestamp_millis();
        let (mut symbols, mut prices, mut volumes, mut times) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for q in quotes {
            symbols.push(q.symbol.as_str());
            prices.push(q.price);
            volumes.push(q.volume);
            times.push(q.ts);
        }
        Ok(sqlx::query_as(
            "insert into quotes (symbol, price, volume, ts, received_at) \
             select s, p, v, t, $5 from unnest($1::text[], $2::float8[], $3::float8[], $4::int8[]) as q(s, p, v, t) \
             on conflict (symbol) do update set price = excluded.price, volume = excluded.volume, ts = excluded.ts, \
               received_at = excluded.received_at where excluded.ts >= quotes.ts \
             returning symbol, price, volume, ts",
        )
        .bind(&symbols)
        .bind(&prices)
        .bind(&volumes)
        .bind(&times)
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn quote(&self, symbol: &str) -> StoreResult<Option<Quote>> {
        Ok(sqlx::query_as("select symbol, price, volume, ts from quotes where symbol = $1")
            .bind(symbol)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn queue_invalidations(&self, symbols: &[String]) -> StoreResult<()> {
        sqlx::query("insert into invalidation_outbox (symbol) select unnest($1::text[])")
            .bind(symbols)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn queued_invalidations(&self, limit: usize) -> StoreResult<Vec<(i64, String)>> {
        Ok(sqlx::query_as("select id, symbol from invalidation_outbox order by id limit $1")
            .bind(limit.min(i64::MAX as usize) as i64)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn clear_invalidations(&self, ids: &[i64]) -> StoreResult<()> {
        sqlx::query("delete from invalidation_outbox where id = any($1)").bind(ids).execute(&self.pool).await?;
        Ok(())
    }

    async fn invalidation_queued(&self, symbol: &str) -> StoreResult<bool> {
        Ok(sqlx::query_scalar("select exists (select 1 from invalidation_outbox where symbol = $1)")
            .bind(symbol)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn delete_indicator_values(&self, symbols: &[String]) -> StoreResult<u64> {
        if symbols.is_empty() {
            return Ok(0);
        }
        let done = sqlx::query("delete from indicator_values where symbol = any($1)")
            .bind(symbols)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn upsert_job(&self, job: &JobRecord) -> StoreResult<()> {
        sqlx::query(
            "insert into jobs (task_id, task_type, status, progress, processed, total, failed, \
                               started_at, finished_at, result, updated_at, spec) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             on conflict (task_id) do update set task_type = excluded.task_type, status = excluded.status, \
               progress = excluded.progress, processed = excluded.processed, total = excluded.total, \
               failed = excluded.failed, started_at = excluded.started_at, finished_at = excluded.finished_at, \
               result = excluded.result, updated_at = excluded.updated_at, \
               spec = coalesce(excluded.spec, jobs.spec)",
        )
        .bind(&job.task_id)
        .bind(&job.task_type)
        .bind(job.status.as_str())
        .bind(job.progress)
        .bind(job.processed)
        .bind(job.total)
        .bind(job.failed)
        .bind(job.started_at)
        .bind(job.finished_at)
        .bind(job.result.as_ref().map(|r| r.to_string()))
        .bind(chrono::Utc::now().timestamp())
        .bind(job.spec.as_ref().map(|r| r.to_string()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn job(&self, task_id: &str) -> StoreResult<Option<JobRecord>> {
        let row = sqlx::query("select * from jobs where task_id = $1").bind(task_id).fetch_optional(&self.pool).await?;
        row.as_ref().map(job_from).transpose()
    }

    async fn list_jobs(&self, limit: usize) -> StoreResult<Vec<JobRecord>> {
        let rows = sqlx::query(
            "select task_id, task_type, status, progress, processed, total, failed, started_at, finished_at, \
                    result, null::text as spec from jobs order by started_at desc nulls last, task_id desc limit $1",
        )
        .bind(limit.min(i64::MAX as usize) as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_from).collect()
    }
}

/// A throw-away database for tests and benchmarks: created with a unique name on an
/// existing server, dropped by [`ScratchDatabase::drop_now`] (or, if the owner forgot or
/// panicked, when the value is dropped).
#[derive(Debug)]
pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    url: String,
    dropped: bool,
}

impl ScratchDatabase {
    /// Creates `{prefix}_{pid}_{random}` on the server of `admin_url` (a URL to any
    /// database there, e.g. `postgres://postgres@127.0.0.1/postgres`).
    pub async fn create(admin_url: &str, prefix: &str) -> StoreResult<Self> {
        let name = format!("{prefix}_{}_{:08x}", std::process::id(), rand::random::<u32>());
        let url = with_database(admin_url, &name);
        let mut admin = sqlx::PgConnection::connect(admin_url).await?;
        sqlx::query(&format!("create database \"{name}\"")).execute(&mut admin).await?;
        admin.close().await?;
        Ok(Self { admin_url: admin_url.to_string(), name, url, dropped: false })
    }

    /// URL of the scratch database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Drops the database now (terminating leftover connections).
    pub async fn drop_now(mut self) -> StoreResult<()> {
        self.dropped = true;
        drop_database(&self.admin_url, &self.name).await
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // Drop runs outside async context: use a short-lived runtime on its own thread.
        let (admin, name) = (self.admin_url.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                let _ = rt.block_on(drop_database(&admin, &name));
            }
        })
        .join();
    }
}

async fn drop_database(admin_url: &str, name: &str) -> StoreResult<()> {
    let mut admin = sqlx::PgConnection::connect(admin_url).await?;
    sqlx::query(&format!("drop database if exists \"{name}\" with (force)")).execute(&mut admin).await?;
    admin.close().await?;
    Ok(())
}

/// `url` with its database name replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{}", &base[..path_start], database);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}
