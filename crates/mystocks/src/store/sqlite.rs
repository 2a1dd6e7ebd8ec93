//! The embedded store on SQLite: one file (WAL mode), created with its folder on
//! first use. Writers take the write lock up front (`BEGIN IMMEDIATE`) and wait on
//! a busy timeout, so concurrent writers queue instead of failing.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};

use super::*;

/// Rows per multi-row INSERT: 8 columns x 500 stays far below SQLite's 32,766
/// bound-parameter limit while amortising statement overhead.
const ROWS_PER_STATEMENT: usize = 500;

/// Imports at least this large checkpoint the write-ahead log afterwards.
const CHECKPOINT_AFTER_ROWS: usize = 50_000;

/// The SQLite backend.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The database file, for the synchronous bulk reader.
    path: std::path::PathBuf,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `url` (`sqlite://PATH`).
    pub async fn open(url: &str) -> StoreResult<Self> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(false);
        let path = opts.get_filename().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|error| StoreError::Io { path: dir.display().to_string(), error })?;
        }
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool, path })
    }

    /// Writes bars in one transaction; with `replace`, each written series' other bars
    /// are deleted first.
    async fn import(&self, symbols: &[Symbol], batches: &[SymbolBars], replace: bool) -> StoreResult<ImportStats> {
        let symbols = symbols.to_vec();
        let batches = batches.to_vec();
        let stats = self.write(move |conn| {
            Box::pin(async move {
                if replace {
                    for batch in &batches {
                        sqlx::query("delete from bars where symbol = ? and freq = ?")
                            .bind(&batch.symbol)
                            .bind(&batch.freq)
                            .execute(&mut *conn)
                            .await?;
                    }
                }
                insert_symbols(conn, &symbols, true).await?;
                let implied = implied_symbols(&batches);
                insert_symbols(conn, &implied, false).await?;
                let mut written = 0;
                for batch in &batches {
                    for chunk in batch.bars.chunks(ROWS_PER_STATEMENT) {
                        let mut qb: QueryBuilder<Sqlite> =
                            QueryBuilder::new("insert into bars (symbol, freq, ts, open, high, low, close, volume) ");
                        qb.push_values(chunk, |mut b, bar| {
                            b.push_bind(&batch.symbol)
                                .push_bind(&batch.freq)
                                .push_bind(bar.ts)
                                .push_bind(bar.open)
                                .push_bind(bar.high)
                                .push_bind(bar.low)
                                .push_bind(bar.close)
                                .push_bind(bar.volume);
                        });
                        qb.push(
                            " on conflict (symbol, freq, ts) do update set open = excluded.open, \
                             high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume",
                        );
                        qb.build().execute(&mut *conn).await?;
                        written += chunk.len();
                    }
                }
                let rev = if batches.is_empty() { 0 } else { bump_series(conn, &batches).await? };
                let touched: std::collections::HashSet<&str> = batches.iter().map(|b| b.symbol.as_str()).collect();
                Ok(ImportStats { symbols: touched.len(), bars: written, rev })
            })
        })
        .await?;
        if stats.bars >= CHECKPOINT_AFTER_ROWS {
            // Fold the write-ahead log back into the database file: readers of a large,
            // un-checkpointed WAL pay for searching it on every page.
            if let Err(e) = sqlx::query("pragma wal_checkpoint(truncate)").execute(&self.pool).await {
                tracing::warn!("checkpoint after import failed: {e}");
            }
        }
        Ok(stats)
    }

    /// Runs `work` inside `BEGIN IMMEDIATE` ... `COMMIT`, rolling back on error.
    async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> futures::future::BoxFuture<'c, StoreResult<T>>,
    {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("begin immediate").execute(&mut *conn).await?;
        match work(&mut conn).await {
            Ok(v) => {
                sqlx::query("commit").execute(&mut *conn).await?;
                Ok(v)
            }
            Err(e) => {
                // The rollback's own failure would hide the cause; the cause is returned.
                let _ = sqlx::query("rollback").execute(&mut *conn).await;
                Err(e)
            }
        }
    }
}

fn indicator_from(row: &SqliteRow) -> StoreResult<IndicatorRow> {
    let vals: String = row.try_get("vals")?;
    Ok(IndicatorRow {
        symbol: row.try_get("symbol")?,
        code: row.try_get("code")?,
        params_hash: row.try_get("params_hash")?,
        freq: row.try_get("freq")?,
        ts: row.try_get("ts")?,
        values: decode_values(&vals)?,
        computed_at: row.try_get("computed_at")?,
        span: row.try_get::<i64, _>("span")?.clamp(0, i64::from(u32::MAX)) as u32,
        bars_rev: row.try_get("bars_rev")?,
    })
}

fn job_from(row: &SqliteRow) -> StoreResult<JobRecord> {
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

fn json_column(text: Option<String>, what: &str) -> StoreResult<Option<serde_json::Value>> {
    text.map(|r| serde_json::from_str(&r).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))).transpose()
}

/// Takes the next bar revision and gives it to every written series (inside the
/// import's transaction).
async fn bump_series(conn: &mut SqliteConnection, batches: &[SymbolBars]) -> StoreResult<i64> {
    let rev: i64 = sqlx::query_scalar(
        "update store_counters set value = max(value + 1, ?) where name = 'bars_rev' returning value",
    )
    .bind(super::revision_floor())
    .fetch_one(&mut *conn)
    .await?;
    let refs: Vec<&SymbolBars> = batches.iter().collect();
    for chunk in written_series(&refs).chunks(ROWS_PER_STATEMENT) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("insert into bar_series (symbol, freq, rev) ");
        qb.push_values(chunk, |mut b, (symbol, freq)| {
            b.push_bind(symbol).push_bind(freq).push_bind(rev);
        });
        qb.push(" on conflict (symbol, freq) do update set rev = excluded.rev");
        qb.build().execute(&mut *conn).await?;
    }
    Ok(rev)
}

async fn insert_indicator_rows(conn: &mut SqliteConnection, rows: &[IndicatorRow]) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "insert into indicator_values (symbol, code, params_hash, freq, span, ts, vals, computed_at, bars_rev) ",
        );
        qb.push_values(chunk, |mut b, r| {
            b.push_bind(&r.symbol)
                .push_bind(&r.code)
                .push_bind(&r.params_hash)
                .push_bind(&r.freq)
                .push_bind(i64::from(r.span))
                .push_bind(r.ts)
                .push_bind(encode_values(&r.values))
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

async fn insert_symbols(conn: &mut SqliteConnection, symbols: &[Symbol], overwrite: bool) -> StoreResult<()> {
    for chunk in symbols.chunks(ROWS_PER_STATEMENT) {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("insert into symbols (code, name, exchange, listed_on) ");
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
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn upsert_symbols(&self, symbols: &[Symbol]) -> StoreResult<()> {
        let symbols = symbols.to_vec();
        self.write(move |conn| Box::pin(async move { insert_symbols(conn, &symbols, true).await })).await
    }

    async fn list_symbols(&self, limit: usize, offset: usize) -> StoreResult<Vec<Symbol>> {
        let symbols = sqlx::query_as::<_, Symbol>(
            "select code, name, exchange, listed_on from symbols order by code limit ? offset ?",
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
             where code like ?1 || '%' escape '\\' or name like '%' || ?1 || '%' escape '\\' \
             order by code limit ?2 offset ?3",
        )
        .bind(super::like_literal(query))
        .bind(limit.min(i64::MAX as usize) as i64)
        .bind(offset.min(i64::MAX as usize) as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(symbols)
    }

    async fn symbol(&self, code: &str) -> StoreResult<Option<Symbol>> {
        let symbol = sqlx::query_as::<_, Symbol>("select code, name, exchange, listed_on from symbols where code = ?")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(symbol)
    }

    async fn known_symbols(&self, codes: &[String]) -> StoreResult<std::collections::HashSet<String>> {
        let list = serde_json::to_string(codes).unwrap_or_else(|_| "[]".into());
        let rows: Vec<(String,)> =
            sqlx::query_as("select code from symbols where code in (select value from json_each(?))")
                .bind(list)
                .fetch_all(&self.pool)
                .await?;
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
             where symbol = ? and freq = ? and ts >= ? and ts <= ? order by ts desc limit ?",
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
        let list = serde_json::to_string(&super::distinct_symbols(symbols)).unwrap_or_else(|_| "[]".into());
        let (path, freq) = (self.path.clone(), freq.to_string());
        let limit = last_n.min(i64::MAX as usize) as i64;
        let capacity = symbols.len();
        // A synchronous cursor on its own read-only connection (WAL lets it read beside
        // writers): sqlx-sqlite would hand each of up to millions of rows across threads.
        let read = move || -> rusqlite::Result<HashMap<String, Vec<Bar>>> {
            let conn = rusqlite::Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(Duration::from_secs(30))?;
            // Map the file instead of copying each page through read(): the batched read
            // touches most of the table.
            conn.pragma_update(None, "mmap_size", 1_i64 << 30)?;
            conn.pragma_update(None, "cache_size", -65_536_i64)?;
            // Per symbol, the cutoff time is one index probe (the N-th latest bar); then
            // each symbol's bars from its cutoff are a primary-key range scan: no window,
            // and no ORDER BY (sorting 1.2M rows by symbol text cost about a third of the
            // read; the rows are grouped below whatever order they come in). MATERIALIZED keeps SQLite from flattening the CTE into the join,
            // which would re-run the cutoff probe for every bar.
            let mut stmt = conn.prepare(
                "with wanted(symbol, cutoff) as materialized ( \
                     select s.value, coalesce( \
                         (select ts from bars where symbol = s.value and freq = ?1 and ts <= ?4 \
                          order by ts desc limit 1 offset ?2 - 1), -9223372036854775808) \
                     from json_each(?3) s where ?2 > 0) \
                 select b.symbol, b.ts, b.open, b.high, b.low, b.close, b.volume \
                 from wanted w join bars b on b.symbol = w.symbol and b.freq = ?1 and b.ts >= w.cutoff and b.ts <= ?4",
            )?;
            let mut rows = stmt.query(rusqlite::params![freq, limit, list, until])?;
            let mut out: HashMap<String, Vec<Bar>> = HashMap::with_capacity(capacity);
            let mut current: Option<(String, Vec<Bar>)> = None;
            while let Some(row) = rows.next()? {
                let symbol = row.get_ref(0)?.as_str().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
                })?;
                let bar = Bar {
                    ts: row.get(1)?,
                    open: row.get(2)?,
                    high: row.get(3)?,
                    low: row.get(4)?,
                    close: row.get(5)?,
                    volume: row.get(6)?,
                };
                match &mut current {
                    Some((s, bars)) if s == symbol => bars.push(bar),
                    _ => {
                        if let Some((s, bars)) = current.take() {
                            out.entry(s).or_default().extend(bars);
                        }
                        current = Some((symbol.to_string(), vec![bar]));
                    }
                }
            }
            if let Some((s, bars)) = current {
                out.entry(s).or_default().extend(bars);
            }
            // The plan walks each symbol's primary-key range in order, so the rows come
            // grouped and sorted; the check keeps the result right whatever the plan.
            for bars in out.values_mut() {
                if !bars.is_sorted_by_key(|b| b.ts) {
                    bars.sort_unstable_by_key(|b| b.ts);
                }
            }
            Ok(out)
        };
        let out = tokio::task::spawn_blocking(read)
            .await
            .map_err(|e| StoreError::Corrupt(format!("bulk reader stopped: {e}")))?
            .map_err(|e| StoreError::Corrupt(format!("bulk read: {e}")))?;
        Ok(out)
    }

    async fn series_state(&self, symbol: &str, freq: &str) -> StoreResult<SeriesState> {
        let row: Option<(Option<i64>,)> = sqlx::query_as(
            "select b.rev from symbols s left join bar_series b on b.symbol = s.code and b.freq = ? where s.code = ?",
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
        let list = serde_json::to_string(symbols).unwrap_or_else(|_| "[]".into());
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "select b.symbol, b.rev from json_each(?) s join bar_series b on b.symbol = s.value and b.freq = ?",
        )
        .bind(list)
        .bind(freq)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }

    async fn bar_span(&self, symbol: &str, freq: &str) -> StoreResult<Option<BarSpan>> {
        let (n, first, last): (i64, Option<i64>, Option<i64>) =
            sqlx::query_as("select count(*), min(ts), max(ts) from bars where symbol = ? and freq = ?")
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
            sqlx::query_as("select symbol, freq, rev from bar_series where rev > ? order by rev limit ?")
                .bind(after)
                .bind(limit.min(i64::MAX as usize) as i64)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(symbol, freq, rev)| SeriesChange { symbol, freq, rev }).collect())
    }

    async fn upsert_indicator_values(&self, rows: &[IndicatorRow]) -> StoreResult<()> {
        let rows = rows.to_vec();
        self.write(move |conn| Box::pin(async move { insert_indicator_rows(conn, &rows).await })).await
    }

    async fn replace_indicator_values(&self, rows: &[IndicatorRow]) -> StoreResult<()> {
        let Some(first) = rows.first().cloned() else { return Ok(()) };
        let rows = rows.to_vec();
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "delete from indicator_values \
                     where symbol = ? and code = ? and params_hash = ? and freq = ? and span = ?",
                )
                .bind(&first.symbol)
                .bind(&first.code)
                .bind(&first.params_hash)
                .bind(&first.freq)
                .bind(i64::from(first.span))
                .execute(&mut *conn)
                .await?;
                insert_indicator_rows(conn, &rows).await
            })
        })
        .await
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
             where symbol = ? and code = ? and params_hash = ? and freq = ? and span = ? and ts >= ? and ts <= ? \
             order by ts desc limit ?",
        )
        .bind(symbol)
        .bind(code)
        .bind(params_hash)
        .bind(freq)
        .bind(i64::from(span))
        .bind(range.lower())
        .bind(range.upper())
        .bind(range.limit_i64())
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows.iter().map(indicator_from).collect::<StoreResult<Vec<_>>>()?;
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
        let list = serde_json::to_string(symbols).unwrap_or_else(|_| "[]".into());
        let rows = sqlx::query(
            "select iv.symbol, iv.code, iv.params_hash, iv.freq, iv.span, iv.ts, iv.vals, iv.computed_at, iv.bars_rev \
             from indicator_values iv join ( \
                 select symbol, max(ts) as ts from indicator_values \
                 where code = ?1 and params_hash = ?2 and freq = ?3 and span = ?5 \
                   and (?4 = '[]' or symbol in (select value from json_each(?4))) \
                 group by symbol) latest \
             on iv.symbol = latest.symbol and iv.ts = latest.ts \
             where iv.code = ?1 and iv.params_hash = ?2 and iv.freq = ?3 and iv.span = ?5 order by iv.symbol",
        )
        .bind(code)
        .bind(params_hash)
        .bind(freq)
        .bind(list)
        .bind(i64::from(span))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(indicator_from).collect()
    }

    async fn upsert_quotes(&self, quotes: &[Quote]) -> StoreResult<Vec<Quote>> {
        let quotes = quotes.to_vec();
        self.write(move |conn| {
            Box::pin(async move {
                let now = chrono::Utc::now().timestamp_millis();
                let mut stored = Vec::with_capacity(quotes.len());
                for chunk in quotes.chunks(ROWS_PER_STATEMENT) {
                    let mut qb: QueryBuilder<Sqlite> =
                        QueryBuilder::new("insert into quotes (symbol, price, volume, ts, received_at) ");
                    qb.push_values(chunk, |mut b, q| {
                        b.push_bind(&q.symbol).push_bind(q.price).push_bind(q.volume).push_bind(q.ts).push_bind(now);
                    });
                    qb.push(
                        " on conflict (symbol) do update set price = excluded.price, volume = excluded.volume, \
                         ts = excluded.ts, received_at = excluded.received_at where excluded.ts >= quotes.ts \
                         returning symbol, price, volume, ts",
                    );
                    stored.extend(qb.build_query_as::<Quote>().fetch_all(&mut *conn).await?);
                }
                Ok(stored)
            })
        })
        .await
    }

    async fn quote(&self, symbol: &str) -> StoreResult<Option<Quote>> {
        Ok(sqlx::query_as("select symbol, price, volume, ts from quotes where symbol = ?")
            .bind(symbol)
            .fetch_optional(&self.pool)
            .await?)
    }

    async fn queue_invalidations(&self, symbols: &[String]) -> StoreResult<()> {
        let list = serde_json::to_string(symbols).unwrap_or_else(|_| "[]".into());
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query("insert into invalidation_outbox (symbol) select value from json_each(?)")
                    .bind(list)
                    .execute(conn)
                    .await?;
                Ok(())
            })
        })
        .await
    }

    async fn queued_invalidations(&self, limit: usize) -> StoreResult<Vec<(i64, String)>> {
        Ok(sqlx::query_as("select id, symbol from invalidation_outbox order by id limit ?")
            .bind(limit.min(i64::MAX as usize) as i64)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn clear_invalidations(&self, ids: &[i64]) -> StoreResult<()> {
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query("delete from invalidation_outbox where id in (select value from json_each(?))")
                    .bind(list)
                    .execute(conn)
                    .await?;
                Ok(())
            })
        })
        .await
    }

    async fn invalidation_queued(&self, symbol: &str) -> StoreResult<bool> {
        Ok(sqlx::query_scalar("select exists (select 1 from invalidation_outbox where symbol = ?)")
            .bind(symbol)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn delete_indicator_values(&self, symbols: &[String]) -> StoreResult<u64> {
        if symbols.is_empty() {
            return Ok(0);
        }
        let list = serde_json::to_string(symbols).unwrap_or_else(|_| "[]".into());
        self.write(move |conn| {
            Box::pin(async move {
                let done = sqlx::query("delete from indicator_values where symbol in (select value from json_each(?))")
                    .bind(list)
                    .execute(conn)
                    .await?;
                Ok(done.rows_affected())
            })
        })
        .await
    }

    async fn upsert_job(&self, job: &JobRecord) -> StoreResult<()> {
        let job = job.clone();
        self.write(move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "insert into jobs (task_id, task_type, status, progress, processed, total, failed, \
                                       started_at, finished_at, result, updated_at, spec) \
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
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
                .execute(conn)
                .await?;
                Ok(())
            })
        })
        .await
    }

    async fn job(&self, task_id: &str) -> StoreResult<Option<JobRecord>> {
        let row = sqlx::query("select * from jobs where task_id = ?").bind(task_id).fetch_optional(&self.pool).await?;
        row.as_ref().map(job_from).transpose()
    }

    async fn list_jobs(&self, limit: usize) -> StoreResult<Vec<JobRecord>> {
        let rows = sqlx::query(
            "select task_id, task_type, status, progress, processed, total, failed, started_at, finished_at, \
                    result, null as spec from jobs order by started_at desc, task_id desc limit ?",
        )
        .bind(limit.min(i64::MAX as usize) as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_from).collect()
    }
}
