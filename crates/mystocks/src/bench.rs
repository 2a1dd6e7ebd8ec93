//! The project's own benchmarks, run by `mystocks bench`.
//!
//! `indicators`: ns per bar for every catalog indicator (default parameters) on a seeded
//! random walk, median of several runs, plus the panel figure: the standard set over a
//! whole synthetic market, spread over all cores with rayon.
//!
//! [`ws`]: load on the WebSocket gateway (`mystocks bench ws`).

pub mod ws;

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::market::BarSeries;
use crate::standard_set::standard_set;

/// A seeded geometric random walk with plausible highs, lows and volumes.
pub fn random_walk(n: usize, seed: u64) -> BarSeries {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut s = BarSeries::default();
    let mut price = 100.0_f64;
    for i in 0..n {
        let ret: f64 = rng.gen_range(-0.03..0.03);
        price *= 1.0 + ret;
        let spread = price * rng.gen_range(0.0..0.03);
        let high = price + spread * rng.gen_range(0.0..1.0);
        let low = price - spread * rng.gen_range(0.0..1.0);
        s.dates.push(i.to_string());
        s.open.push(low + (high - low) * rng.gen_range(0.0..1.0));
        s.high.push(high);
        s.low.push(low);
        s.close.push(price);
        s.volume.push(rng.gen_range(1e5..5e6_f64).round());
    }
    s
}

/// One indicator's timing.
#[derive(Debug, Serialize)]
pub struct IndicatorTiming {
    /// Indicator code.
    pub code: &'static str,
    /// Parameters used (the defaults), as `name=value`.
    pub params: String,
    /// Median nanoseconds per bar.
    pub ns_per_bar: f64,
    /// Median wall time of one run, milliseconds.
    pub median_ms: f64,
}

/// The panel benchmark's result.
#[derive(Debug, Serialize)]
pub struct PanelTiming {
    /// Symbols in the synthetic market.
    pub symbols: usize,
    /// Bars per symbol.
    pub bars: usize,
    /// Indicators per symbol (the standard set).
    pub indicators: usize,
    /// Worker threads used.
    pub threads: usize,
    /// Median wall time, seconds.
    pub seconds: f64,
    /// Symbol-indicator results per second.
    pub results_per_second: f64,
}

/// Everything `mystocks bench indicators` reports.
#[derive(Debug, Serialize)]
pub struct IndicatorBench {
    /// Bars per series.
    pub bars: usize,
    /// Runs per measurement (the median is reported).
    pub runs: usize,
    /// Per-indicator timings, catalog order.
    pub indicators: Vec<IndicatorTiming>,
    /// The panel figure, unless skipped.
    pub panel: Option<PanelTiming>,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    let mid = xs.len() / 2;
    if xs.is_empty() {
        f64::NAN
    } else if xs.len() % 2 == 1 {
        xs[mid]
    } else {
        (xs[mid - 1] + xs[mid]) / 2.0
    }
}

/// Times every catalog indicator on `bars` bars, `runs` times each.
/// Unknown codes in `only` are an error, as are zero bars or runs.
pub fn time_indicators(bars: usize, runs: usize, only: Option<&str>) -> anyhow::Result<Vec<IndicatorTiming>> {
    anyhow::ensure!(bars > 0, "--bars must be at least 1");
    anyhow::ensure!(runs > 0, "--runs must be at least 1");
    if let Some(only) = only {
        for code in only.split(',').map(str::trim) {
            indicators::find(code).map_err(|e| anyhow::anyhow!("--only: {e}"))?;
        }
    }
    let series = random_walk(bars, 42);
    // MAVP's period per bar (the same series scripts/bench_vs_talib.py gives TA-Lib).
    let periods: Vec<f64> = (0..bars).map(|i| (2 + i % 29) as f64).collect();
    let input = indicators::Bars { periods: &periods, ..series.as_bars() };
    let mut out = Vec::new();
    for spec in indicators::catalog() {
        if only.is_some_and(|o| !o.split(',').any(|c| c.eq_ignore_ascii_case(spec.code))) {
            continue;
        }
        let params = spec.default_params();
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            let result = spec.compute(&input, &params);
            samples.push(start.elapsed().as_secs_f64());
            // A failed computation has no time worth reporting.
            std::hint::black_box(result.map_err(|e| anyhow::anyhow!("{}: {e}", spec.code))?);
        }
        let secs = median(samples);
        out.push(IndicatorTiming {
            code: spec.code,
            params: params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","),
            ns_per_bar: secs * 1e9 / bars.max(1) as f64,
            median_ms: secs * 1e3,
        });
    }
    Ok(out)
}

/// Computes the standard set for `symbols` x `bars` on all cores, `runs` times.
pub fn time_panel(symbols: usize, bars: usize, runs: usize) -> anyhow::Result<PanelTiming> {
    let set = standard_set()?;
    // A pool of distinct series reused across symbols: the work per symbol is the same
    // as with 5,000 distinct series, without holding 12.5M bars x 5 columns in memory.
    let pool: Vec<BarSeries> = (0..64).map(|i| random_walk(bars, 1000 + i)).collect();
    let mut samples = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let computed: usize = (0..symbols)
            .into_par_iter()
            .map(|i| {
                let input = pool[i % pool.len()].as_bars();
                set.iter()
                    .map(|m| m.spec.compute(&input, &m.params).map(|o| std::hint::black_box(o).len()).unwrap_or(0))
                    .filter(|&n| n > 0)
                    .count()
            })
            .sum();
        samples.push(start.elapsed().as_secs_f64());
        anyhow::ensure!(computed == symbols * set.len(), "panel computed {computed} results");
    }
    let seconds = median(samples);
    Ok(PanelTiming {
        symbols,
        bars,
        indicators: set.len(),
        threads: rayon::current_num_threads(),
        seconds,
        results_per_second: (symbols * set.len()) as f64 / seconds,
    })
}

/// One store backend's figures from `mystocks bench store`.
#[derive(Debug, Serialize)]
pub struct StoreTiming {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// Bars imported.
    pub bars: usize,
    /// Import into an empty store, seconds.
    pub import_seconds: f64,
    /// The same import again (every row an update), seconds.
    pub reimport_seconds: f64,
    /// Reading the latest `read_bars` bars of every symbol in one batch, right after
    /// the import, seconds.
    pub read_seconds: f64,
    /// The same read after the re-import (every row rewritten once), seconds.
    pub read_after_reimport_seconds: f64,
    /// Bars per symbol read.
    pub read_bars: usize,
    /// PostgreSQL only: plain `COPY` of the same rows into an unindexed table, seconds.
    pub copy_seconds: Option<f64>,
    /// PostgreSQL only: import / COPY.
    pub import_to_copy_ratio: Option<f64>,
}

/// Times the store backends on a demo market of `symbols` x `days`.
pub async fn time_store(
    symbols: usize,
    days: usize,
    postgres_admin_url: Option<&str>,
) -> anyhow::Result<Vec<StoreTiming>> {
    use crate::store::{postgres, sqlite};
    let market = crate::demo::generate(symbols, days, 1);
    let bars: usize = market.bars.iter().map(|b| b.bars.len()).sum();
    let codes: Vec<String> = market.symbols.iter().map(|s| s.code.clone()).collect();
    let mut out = Vec::new();

    let dir = std::env::temp_dir().join(format!("mystocks-bench-{}", std::process::id()));
    let url = format!("sqlite://{}/bench.db", dir.display());
    let store = sqlite::SqliteStore::open(&url).await?;
    let timing = import_read_cycle(&store, "sqlite", &market, &codes).await?;
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    out.push(timing);

    if let Some(admin) = postgres_admin_url {
        let scratch = postgres::ScratchDatabase::create(admin, "mystocks_bench")
            .await
            .map_err(|e| anyhow::anyhow!("--postgres {}: {e}", crate::config::redact(admin)))?;
        let store = postgres::PgStore::open(scratch.url()).await?;
        // The yardstick: PostgreSQL's own COPY of the same rows into a plain table.
        sqlx::query(
            "create table bars_plain (symbol text, freq text, ts bigint, open float8, high float8, \
             low float8, close float8, volume float8)",
        )
        .execute(store.pool())
        .await?;
        let mut text = String::with_capacity(bars * 64);
        for b in &market.bars {
            for bar in &b.bars {
                postgres::push_copy_bar(&mut text, &b.symbol, &b.freq, bar);
            }
        }
        let t = Instant::now();
        let mut conn = store.pool().acquire().await?;
        let mut copy = conn.copy_in_raw("copy bars_plain from stdin").await?;
        for chunk in text.as_bytes().chunks(1 << 20) {
            copy.send(chunk).await?;
        }
        copy.finish().await?;
        let copy_seconds = t.elapsed().as_secs_f64();
        drop(conn);
        let mut timing = import_read_cycle(&store, "postgres", &market, &codes).await?;
        drop(store);
        scratch.drop_now().await?;
        timing.copy_seconds = Some(copy_seconds);
        timing.import_to_copy_ratio = Some(timing.import_seconds / copy_seconds);
        out.push(timing);
    }
    Ok(out)
}

/// Import, read, re-import, read again: the backend's timings (COPY left to the caller).
async fn import_read_cycle(
    store: &dyn crate::store::Store,
    backend: &'static str,
    market: &crate::demo::DemoMarket,
    codes: &[String],
) -> anyhow::Result<StoreTiming> {
    let t = Instant::now();
    store.import_bars(&market.symbols, &market.bars).await?;
    let import = t.elapsed().as_secs_f64();
    let read = time_read(store, codes).await?;
    let t = Instant::now();
    store.import_bars(&market.symbols, &market.bars).await?;
    let reimport = t.elapsed().as_secs_f64();
    let read_again = time_read(store, codes).await?;
    Ok(StoreTiming {
        backend,
        bars: market.bars.iter().map(|b| b.bars.len()).sum(),
        import_seconds: import,
        reimport_seconds: reimport,
        read_seconds: read,
        read_after_reimport_seconds: read_again,
        read_bars: 250,
        copy_seconds: None,
        import_to_copy_ratio: None,
    })
}

async fn time_read(store: &dyn crate::store::Store, codes: &[String]) -> anyhow::Result<f64> {
    let t = Instant::now();
    let read = store.read_latest_bars(codes, "1d", 250, i64::MAX).await?;
    let secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(read.len() == codes.len(), "{} read {} of {} symbols", store.backend(), read.len(), codes.len());
    Ok(secs)
}

/// Latency percentiles of one operation.
#[derive(Debug, Serialize)]
pub struct Latency {
    /// What was measured.
    pub what: String,
    /// Samples.
    pub samples: usize,
    /// Median, microseconds.
    pub p50_us: f64,
    /// 99th percentile, microseconds.
    pub p99_us: f64,
}

fn percentiles(what: &str, mut xs: Vec<f64>) -> Latency {
    xs.sort_by(|a, b| a.total_cmp(b));
    let at =
        |q: f64| xs.get(((xs.len() as f64 * q) as usize).min(xs.len().saturating_sub(1))).copied().unwrap_or(f64::NAN);
    Latency { what: what.to_string(), samples: xs.len(), p50_us: at(0.50), p99_us: at(0.99) }
}

/// `mystocks bench cache`: L1 and L2 hit latency of the tiered cache, and Redis's own
/// single-client GET (`redis-benchmark -c 1 -t get`, same value size) as the yardstick.
#[derive(Debug, Serialize)]
pub struct CacheBench {
    /// Bytes of the cached value (one MACD result over 250 bars, as JSON).
    pub value_bytes: usize,
    /// L1 hit through `get_or_load`.
    pub l1_hit: Latency,
    /// L2 hit: the cache's L2 step (the bars' revision from the store, MGET of generation
    /// and value, JSON decode, the revision check).
    pub l2_hit: Latency,
    /// JSON decode of the value alone (part of `l2_hit`).
    pub decode_only: Latency,
    /// `redis-benchmark -c 1 -t get` of a value of `value_bytes` (set before it runs).
    pub redis_get: Latency,
    /// l2_hit.p50 / redis_get.p50.
    pub l2_to_redis_p50: f64,
    /// The same L2 step from a single-threaded runtime, the shape of redis-benchmark's
    /// client: no wake-up of another worker thread between request and reply.
    pub l2_hit_single_thread: Latency,
    /// l2_hit_single_thread.p50 / redis_get.p50.
    pub l2_single_thread_to_redis_p50: f64,
}

/// A benchmark against Redis needs it up: says which URL and why not, instead of
/// timing the breaker.
async fn reachable(link: &crate::redis_link::RedisLink, url: &str) -> anyhow::Result<()> {
    link.check()
        .await
        .map_err(|e| anyhow::anyhow!("--redis {}: {}", crate::config::redact(url), crate::redis_link::describe(&e)))
}

/// Runs the cache benchmark against the Redis at `redis_url` (port used for redis-benchmark).
pub async fn time_cache(redis_url: &str, iterations: usize) -> anyhow::Result<CacheBench> {
    use crate::cache::l2::L2;
    use crate::cache::tiered::CacheOptions;
    use crate::cache::{compute_result, IndicatorRequest, TieredCache};
    use crate::redis_link::RedisLink;

    let dir = std::env::temp_dir().join(format!("mystocks-cache-bench-{}", std::process::id()));
    let store = crate::store::open(&format!("sqlite://{}/b.db", dir.display())).await?;
    let market = crate::demo::generate(1, 250, 1);
    store.import_bars(&market.symbols, &market.bars).await?;
    let link = RedisLink::new(&bench_redis_config(redis_url))?;
    reachable(&link, redis_url).await?;
    let options_prefix = format!("mystocks-bench-{}:", std::process::id());
    let options = CacheOptions {
        prefix: options_prefix.clone(),
        pubsub_prefix: "mystocks-bench:".into(),
        l1_ttl: std::time::Duration::from_secs(300),
        l1_max_entries: 1000,
        l2_ttl: std::time::Duration::from_secs(600),
        change_poll: None,
    };
    let cache = TieredCache::new(options, store.clone(), store.clone(), Some(L2::new(link.clone())), false).await;
    let req = IndicatorRequest::new::<&str>(&market.symbols[0].code, "MACD", &[], "1d")?;
    let bars = market.bars[0].bars.clone();
    let value = compute_result(&req, &bars)?;
    let value_bytes = serde_json::to_string(&value)?.len();
    let loader_value = value.clone();
    cache.get_or_load(&req, move || async move { Ok(loader_value) }).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    cache.flush().await;

    let mut l1 = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        let hit = cache.get_or_load(&req, || async { Err(crate::cache::CacheError::Load("miss".into())) }).await;
        l1.push(t.elapsed().as_secs_f64() * 1e6);
        anyhow::ensure!(hit.is_ok(), "L1 missed");
    }
    let mut l2 = Vec::with_capacity(iterations / 10);
    for _ in 0..(iterations / 10).max(100) {
        let t = Instant::now();
        let hit = l2_step(&cache, store.as_ref(), &req).await?;
        l2.push(t.elapsed().as_secs_f64() * 1e6);
        anyhow::ensure!(hit, "L2 missed");
    }
    let l2_single = {
        let (url, db, n, req) = (
            redis_url.to_string(),
            format!("sqlite://{}/b.db", dir.display()),
            (iterations / 10).max(100),
            req.clone(),
        );
        let prefix = options_prefix.clone();
        std::thread::spawn(move || -> anyhow::Result<Vec<f64>> {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            rt.block_on(async move {
                let store = crate::store::open(&db).await?;
                let link = RedisLink::new(&bench_redis_config(&url))?;
                let options = CacheOptions {
                    prefix,
                    pubsub_prefix: "mystocks-bench:".into(),
                    l1_ttl: std::time::Duration::from_secs(300),
                    l1_max_entries: 1000,
                    l2_ttl: std::time::Duration::from_secs(600),
                    change_poll: None,
                };
                let cache = TieredCache::new(options, store.clone(), store.clone(), Some(L2::new(link)), false).await;
                let mut samples = Vec::with_capacity(n);
                for _ in 0..n {
                    let t = Instant::now();
                    let hit = l2_step(&cache, store.as_ref(), &req).await?;
                    samples.push(t.elapsed().as_secs_f64() * 1e6);
                    anyhow::ensure!(hit, "L2 missed");
                }
                Ok(samples)
            })
        })
        .join()
        .map_err(|_| anyhow::anyhow!("single-threaded L2 probe panicked"))??
    };
    let text = serde_json::to_string(&value)?;
    let mut decode = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let t = Instant::now();
        let v: crate::cache::IndicatorResult = serde_json::from_str(&text)?;
        decode.push(t.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(v);
    }
    let port = redis_url.rsplit(':').next().and_then(|p| p.split('/').next()).unwrap_or("6379").to_string();
    // redis-benchmark's GET test reads the key `key:__rand_int__` and never writes it:
    // give it a value of the same size, or it times GETs of a missing key.
    let yardstick_key = "key:__rand_int__".to_string();
    let filler = "x".repeat(value_bytes);
    let (k, v) = (yardstick_key.clone(), filler);
    link.run(|mut c| async move { redis::cmd("SET").arg(k).arg(v).arg("EX").arg(600).query_async::<()>(&mut c).await })
        .await?;
    let output = tokio::process::Command::new("redis-benchmark")
        .args(["-p", &port, "-c", "1", "-n", &((iterations / 10).max(1000)).to_string(), "-t", "get", "-d"])
        .arg(value_bytes.to_string())
        .arg("--csv")
        .output()
        .await?;
    let k = yardstick_key.clone();
    let _ = link.run(|mut c| async move { redis::cmd("DEL").arg(k).query_async::<i64>(&mut c).await }).await;
    L2::new(link.clone()).delete_pattern(&format!("{options_prefix}*")).await?;
    let text = String::from_utf8_lossy(&output.stdout);
    // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    let row = text
        .lines()
        .find(|l| l.starts_with("\"GET\""))
        .ok_or_else(|| anyhow::anyhow!("redis-benchmark printed no GET row: {text}"))?;
    let fields: Vec<f64> = row.split(',').skip(1).filter_map(|f| f.trim_matches('"').parse().ok()).collect();
    anyhow::ensure!(fields.len() >= 6, "unexpected redis-benchmark row: {row}");
    let redis_get = Latency {
        what: "redis-benchmark GET".into(),
        samples: (iterations / 10).max(1000),
        p50_us: fields[3] * 1e3,
        p99_us: fields[5] * 1e3,
    };
    let l2_hit = percentiles("L2 hit (revision, MGET, decode, check)", l2);
    let ratio = l2_hit.p50_us / redis_get.p50_us;
    let l2_hit_single_thread = percentiles("L2 hit, 1-thread runtime", l2_single);
    let single_ratio = l2_hit_single_thread.p50_us / redis_get.p50_us;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(CacheBench {
        value_bytes,
        l1_hit: percentiles("L1 hit", l1),
        l2_hit,
        decode_only: percentiles("  of which JSON decode", decode),
        redis_get,
        l2_to_redis_p50: ratio,
        l2_hit_single_thread,
        l2_single_thread_to_redis_p50: single_ratio,
    })
}

/// The L2 step of a read as the cache does it: the series' revision from the store, then
/// the generation and value from Redis, decoded and checked against the revision.
async fn l2_step(
    cache: &crate::cache::TieredCache,
    store: &dyn crate::store::Store,
    req: &crate::cache::IndicatorRequest,
) -> anyhow::Result<bool> {
    let state = store.series_state(&req.symbol, &req.freq).await?;
    let rev = state.rev.ok_or_else(|| anyhow::anyhow!("no bars"))?;
    Ok(cache.l2_valid(req, rev).await.is_some())
}

/// The Redis settings the cache benchmark uses.
fn bench_redis_config(url: &str) -> crate::config::RedisConfig {
    crate::config::RedisConfig {
        url: url.to_string(),
        max_connections: 4,
        socket_timeout: std::time::Duration::from_secs(2),
        connect_timeout: std::time::Duration::from_secs(2),
        enable_cache: true,
        enable_pubsub: false,
        enable_lock: false,
        tls_ca_cert: None,
    }
}

/// `mystocks bench lock`: the lock's round trip against Redis's own, and how long a
/// waiting instance spends beyond the instance that computes.
#[derive(Debug, Serialize)]
pub struct LockBench {
    /// Acquire + release through the lock service (Lua scripts, fencing counter).
    pub lock_round_trip: Latency,
    /// `SET key token NX PX ttl` + `DEL key` sent directly, in the same run.
    pub raw_set_nx_px_del: Latency,
    /// lock_round_trip.p50 / raw.p50.
    pub lock_to_raw_p50: f64,
    /// Per round, the computing instance's latency (lock, compute, fenced write, announce).
    pub winner: Latency,
    /// Per round, the waiting instance's latency minus the winner's.
    pub waiter_extra: Latency,
    /// Rounds with exactly one computation and one waiter (others are not counted).
    pub contended_rounds: usize,
}

/// Runs the lock benchmark against the Redis at `redis_url`.
pub async fn time_lock(redis_url: &str, iterations: usize) -> anyhow::Result<LockBench> {
    use std::sync::Arc;

    use crate::cache::l2::L2;
    use crate::cache::tiered::CacheOptions;
    use crate::cache::{IndicatorRequest, Source, TieredCache};
    use crate::config::RedisConfig;
    use crate::lock::redis::RedisLocks;
    use crate::lock::LockService;
    use crate::redis_link::RedisLink;
    use crate::scheduler::SmartScheduler;

    let config = RedisConfig {
        url: redis_url.to_string(),
        max_connections: 8,
        socket_timeout: std::time::Duration::from_secs(2),
        connect_timeout: std::time::Duration::from_secs(2),
        enable_cache: true,
        enable_pubsub: true,
        enable_lock: true,
        tls_ca_cert: None,
    };
    let run_id = std::process::id();
    let link = RedisLink::new(&config)?;
    reachable(&link, redis_url).await?;
    let locks = LockService::new(
        Arc::new(RedisLocks::new(link.clone())),
        &format!("mystocks-bench-{run_id}:lock:"),
        std::time::Duration::from_secs(30),
    );
    let ttl = std::time::Duration::from_secs(10);
    let mut lock_rt = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        let guard = locks
            .acquire("calc:bench", ttl, std::time::Duration::ZERO)
            .await?
            .ok_or_else(|| anyhow::anyhow!("busy"))?;
        guard.release().await?;
        lock_rt.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let raw_key = format!("mystocks-bench-{run_id}:raw");
    let mut raw = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let (k1, k2) = (raw_key.clone(), raw_key.clone());
        let t = Instant::now();
        let _: Option<String> = link
            .run(|mut c| async move {
                redis::cmd("SET").arg(k1).arg("token").arg("NX").arg("PX").arg(10_000).query_async(&mut c).await
            })
            .await?;
        let _: i64 = link.run(|mut c| async move { redis::cmd("DEL").arg(k2).query_async(&mut c).await }).await?;
        raw.push(t.elapsed().as_secs_f64() * 1e6);
    }

    // Two instances (separate caches and lock services, as two processes would have)
    // ask for the same cold key at the same moment, round after round.
    let dir = std::env::temp_dir().join(format!("mystocks-lock-bench-{run_id}"));
    let store = crate::store::open(&format!("sqlite://{}/b.db", dir.display())).await?;
    let market = crate::demo::generate(1, 250, 1);
    store.import_bars(&market.symbols, &market.bars).await?;
    let instance = || async {
        let link = RedisLink::new(&config)?;
        let options = CacheOptions {
            prefix: format!("mystocks-bench-{run_id}:"),
            pubsub_prefix: format!("mystocks-bench-{run_id}:"),
            l1_ttl: std::time::Duration::from_secs(60),
            l1_max_entries: 10_000,
            l2_ttl: std::time::Duration::from_secs(600),
            change_poll: None,
        };
        let cache = TieredCache::new(options, store.clone(), store.clone(), Some(L2::new(link.clone())), false).await;
        let locks = LockService::new(
            Arc::new(RedisLocks::new(link.clone())),
            &format!("mystocks-bench-{run_id}:lock:"),
            std::time::Duration::from_secs(30),
        );
        anyhow::Ok(SmartScheduler::new(
            cache,
            locks,
            store.clone(),
            Some((link.client().clone(), format!("mystocks-bench-{run_id}:"))),
        ))
    };
    let (a, b) = (instance().await?, instance().await?);
    let (mut winner, mut extra) = (Vec::new(), Vec::new());
    let rounds = (iterations / 10).clamp(50, 1000);
    for round in 0..rounds {
        let req = IndicatorRequest::new::<String>(
            &market.symbols[0].code,
            "SMA",
            &[("timeperiod".to_string(), indicators::RawParam::Int(2 + round as i64))],
            "1d",
        )?;
        let start = Instant::now();
        let timed = |s: SmartScheduler, r: IndicatorRequest| async move {
            let got = s.get(&r).await;
            (got.map(|(_, src)| src), start.elapsed().as_secs_f64() * 1e6)
        };
        let ((ra, ta), (rb, tb)) = tokio::join!(timed(a.clone(), req.clone()), timed(b.clone(), req.clone()));
        match (ra, rb) {
            (Ok(Source::Computed), Ok(Source::L2)) => {
                winner.push(ta);
                extra.push(tb - ta);
            }
            (Ok(Source::L2), Ok(Source::Computed)) => {
                winner.push(tb);
                extra.push(ta - tb);
            }
            _ => {}
        }
    }
    a.cache().flush().await;
    b.cache().flush().await;
    // Nothing of the run stays in Redis.
    L2::new(link.clone()).delete_pattern(&format!("mystocks-bench-{run_id}:*")).await?;
    let _ = std::fs::remove_dir_all(&dir);
    let lock_round_trip = percentiles("lock acquire + release", lock_rt);
    let raw_set_nx_px_del = percentiles("SET NX PX + DEL", raw);
    let ratio = lock_round_trip.p50_us / raw_set_nx_px_del.p50_us;
    let contended_rounds = extra.len();
    Ok(LockBench {
        lock_round_trip,
        raw_set_nx_px_del,
        lock_to_raw_p50: ratio,
        winner: percentiles("winner (lock, compute, write, announce)", winner),
        waiter_extra: percentiles("waiter beyond the winner", extra),
        contended_rounds,
    })
}

/// One setup's figures from `mystocks bench daily`.
#[derive(Debug, Serialize)]
pub struct DailyTiming {
    /// What ran: store, Redis or not, consumers.
    pub setup: String,
    /// Symbols in the job.
    pub symbols: u64,
    /// Bars per symbol read.
    pub bars: usize,
    /// Wall time of each run, end to end (task start to `task.completed`), seconds.
    pub seconds: Vec<f64>,
    /// The best run.
    pub best_seconds: f64,
    /// Events published per run, by every consumer.
    pub events: u64,
}

/// Times the daily job on a demo market of `symbols` x `days`: embedded (SQLite, no
/// Redis), SQLite + Redis, and with a PostgreSQL server PostgreSQL + Redis, with one
/// consumer and with one more `mystocks worker` process.
pub async fn time_daily(
    symbols: usize,
    days: usize,
    runs: usize,
    redis_url: &str,
    postgres_admin_url: Option<&str>,
) -> anyhow::Result<Vec<DailyTiming>> {
    use crate::store::postgres::ScratchDatabase;
    let market = crate::demo::generate(symbols, days, 1);
    let dir = std::env::temp_dir().join(format!("mystocks-bench-daily-{}", std::process::id()));
    let sqlite_url = format!("sqlite://{}/bench.db", dir.display());
    let mut out = Vec::new();
    let scratch = match postgres_admin_url {
        Some(admin) => Some(
            ScratchDatabase::create(admin, "mystocks_bench_daily")
                .await
                .map_err(|e| anyhow::anyhow!("--postgres {}: {e}", crate::config::redact(admin)))?,
        ),
        None => None,
    };
    let mut setups: Vec<(String, String, Option<&str>, bool)> = vec![
        ("embedded: SQLite, in-process bus".into(), sqlite_url.clone(), None, false),
        ("SQLite + Redis, 1 consumer".into(), sqlite_url.clone(), Some(redis_url), false),
    ];
    if let Some(s) = &scratch {
        setups.push(("PostgreSQL + Redis, 1 consumer".into(), s.url().to_string(), Some(redis_url), false));
        setups.push((
            "PostgreSQL + Redis, 2 consumers (daily + 1 worker)".into(),
            s.url().to_string(),
            Some(redis_url),
            true,
        ));
    }
    let mut imported = std::collections::HashSet::new();
    for (setup, db, redis, extra_worker) in setups {
        let (db2, redis2) = (db.clone(), redis.map(str::to_string));
        let config = crate::config::Config::from_lookup(move |k| match k {
            "DATABASE_URL" => Some(db2.clone()),
            "REDIS_URL" => redis2.clone(),
            _ => None,
        })?;
        let rt = crate::runtime::Runtime::start(config).await?;
        if imported.insert(db.clone()) {
            rt.store.import_bars(&market.symbols, &market.bars).await?;
        }
        let bus = crate::jobs::daily::bus_for(&rt);
        let mut seconds = Vec::new();
        let mut events = 0;
        for _ in 0..runs {
            let mut worker = match (extra_worker, redis) {
                (true, Some(r)) => Some(spawn_worker(&db, r).await?),
                _ => None,
            };
            let opts = crate::jobs::daily::DailyOptions::default();
            let report =
                crate::jobs::daily::run_daily(&rt, bus.as_ref(), opts, &crate::jobs::stop::Stop::new(), &mut |_| {})
                    .await?;
            anyhow::ensure!(report.processed == symbols as u64 && report.failed == 0, "{setup}: {report:?}");
            seconds.push(report.duration_seconds);
            events = report.events;
            if let Some(w) = worker.take() {
                events += finish_worker(w).await?;
            }
        }
        let best_seconds = seconds.iter().copied().fold(f64::INFINITY, f64::min);
        out.push(DailyTiming { setup, symbols: symbols as u64, bars: days.min(250), seconds, best_seconds, events });
    }
    if let Some(s) = scratch {
        s.drop_now().await?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(out)
}

/// A `mystocks worker` child and its output.
type WorkerChild = (tokio::process::Child, tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>);

/// Starts `mystocks worker` on the same store and Redis (exiting after a second without
/// work) and waits until it is ready.
async fn spawn_worker(db: &str, redis: &str) -> anyhow::Result<WorkerChild> {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["worker", "--exit-when-idle", "1"])
        .env("DATABASE_URL", db)
        .env("REDIS_URL", redis)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("worker stdout"))?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let ready = lines.next_line().await?.unwrap_or_default();
    anyhow::ensure!(ready.contains("ready"), "worker did not start: {ready}");
    Ok((child, lines))
}

/// Waits for the worker to go idle and exit; the events it published, from its last line
/// (`worker NAME stopped: N symbols, E events`).
async fn finish_worker((mut child, mut lines): WorkerChild) -> anyhow::Result<u64> {
    let mut events = 0;
    while let Some(line) = lines.next_line().await? {
        if let Some(e) = line.strip_suffix(" events").and_then(|l| l.rsplit(' ').next()) {
            events = e.parse().unwrap_or(0);
        }
    }
    child.wait().await?;
    Ok(events)
}
