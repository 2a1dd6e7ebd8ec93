//! The project's own benchmarks, run by `mystocks bench`.
//!
//! `indicators`: ns per bar for every catalog indicator (default parameters) on a seeded
//! random walk, median of several runs, plus the panel figure: the standard set over a
//! whole synthetic market, spread over all cores with rayon.

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
pub fn time_indicators(bars: usize, runs: usize, only: Option<&str>) -> Vec<IndicatorTiming> {
    let series = random_walk(bars, 42);
    let input = series.as_bars();
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
            std::hint::black_box(result.ok());
        }
        let secs = median(samples);
        out.push(IndicatorTiming {
            code: spec.code,
            params: params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(","),
            ns_per_bar: secs * 1e9 / bars.max(1) as f64,
            median_ms: secs * 1e3,
        });
    }
    out
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
                    .map(|m| {
                        m.spec
                            .compute(&input, &m.params)
                            .map(|o| std::hint::black_box(o).len())
                            .unwrap_or(0)
                    })
                    .filter(|&n| n > 0)
                    .count()
            })
            .sum();
        samples.push(start.elapsed().as_secs_f64());
        anyhow::ensure!(
            computed == symbols * set.len(),
            "panel computed {computed} results"
        );
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
    let (import_seconds, read_seconds, reimport_seconds, read_after_reimport_seconds) =
        import_read_cycle(&store, &market, &codes).await?;
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    out.push(StoreTiming {
        backend: "sqlite",
        bars,
        import_seconds,
        reimport_seconds,
        read_seconds,
        read_after_reimport_seconds,
        read_bars: 250,
        copy_seconds: None,
        import_to_copy_ratio: None,
    });

    if let Some(admin) = postgres_admin_url {
        let scratch = postgres::ScratchDatabase::create(admin, "mystocks_bench").await?;
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
        let (import_seconds, read_seconds, reimport_seconds, read_after_reimport_seconds) =
            import_read_cycle(&store, &market, &codes).await?;
        drop(store);
        scratch.drop_now().await?;
        out.push(StoreTiming {
            backend: "postgres",
            bars,
            import_seconds,
            reimport_seconds,
            read_seconds,
            read_after_reimport_seconds,
            read_bars: 250,
            copy_seconds: Some(copy_seconds),
            import_to_copy_ratio: Some(import_seconds / copy_seconds),
        });
    }
    Ok(out)
}

/// Import, read, re-import, read again; the four timings in seconds.
async fn import_read_cycle(
    store: &dyn crate::store::Store,
    market: &crate::demo::DemoMarket,
    codes: &[String],
) -> anyhow::Result<(f64, f64, f64, f64)> {
    let t = Instant::now();
    store.import_bars(&market.symbols, &market.bars).await?;
    let import = t.elapsed().as_secs_f64();
    let read = time_read(store, codes).await?;
    let t = Instant::now();
    store.import_bars(&market.symbols, &market.bars).await?;
    let reimport = t.elapsed().as_secs_f64();
    let read_again = time_read(store, codes).await?;
    Ok((import, read, reimport, read_again))
}

async fn time_read(store: &dyn crate::store::Store, codes: &[String]) -> anyhow::Result<f64> {
    let t = Instant::now();
    let read = store.read_latest_bars(codes, "1d", 250).await?;
    let secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        read.len() == codes.len(),
        "{} read {} of {} symbols",
        store.backend(),
        read.len(),
        codes.len()
    );
    Ok(secs)
}
