//! `mystocks bench`: the project's benchmarks, human-readable or `--json`.

use std::io::Write;

use clap::{Args, Subcommand};

use crate::bench::{time_indicators, time_panel, IndicatorBench};

/// Arguments of `mystocks bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Which benchmark.
    #[command(subcommand)]
    pub which: Which,
}

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum Which {
    /// ns per bar for every indicator, and the standard-set panel.
    Indicators(IndicatorArgs),
    /// Store import and batched-read times, SQLite and (with --postgres) PostgreSQL.
    Store(StoreArgs),
    /// L1 and L2 hit latency against Redis's own GET round trip.
    Cache(CacheArgs),
    /// Concurrent requests through the scheduler (run several processes at once).
    Clcc(super::clcc::ClccArgs),
    /// Lock round trip against Redis's own SET NX PX + DEL; waiter time beyond the winner.
    Lock(LockArgs),
    /// The daily job end to end: embedded, with Redis, with PostgreSQL, with two workers.
    Daily(DailyBenchArgs),
    /// The WebSocket gateway: latency, isolation from slow clients, fan-out, memory per
    /// connection, and the daily job with clients subscribed.
    Ws(crate::bench::ws::WsArgs),
}

/// Arguments of `mystocks bench daily`.
#[derive(Debug, Args)]
pub struct DailyBenchArgs {
    /// Symbols in the demo market.
    #[arg(long, default_value_t = 5_000)]
    pub symbols: usize,
    /// Trading days per symbol.
    #[arg(long, default_value_t = 250)]
    pub days: usize,
    /// Runs per setup.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Redis to use; default: a private redis-server started for the run.
    #[arg(long)]
    pub redis: Option<String>,
    /// A PostgreSQL URL to any database on the server (a scratch database is created and
    /// dropped there), e.g. postgres://postgres@127.0.0.1/postgres.
    #[arg(long)]
    pub postgres: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `mystocks bench cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// Redis to use (redis-benchmark runs against the same port); default: a private
    /// redis-server started for the run.
    #[arg(long)]
    pub redis: Option<String>,
    /// L1 reads timed (L2 reads and redis-benchmark requests: a tenth of it, at least
    /// 100 and 1,000).
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub iterations: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `mystocks bench lock`.
#[derive(Debug, Args)]
pub struct LockArgs {
    /// Redis to use; default: a private redis-server started for the run.
    #[arg(long)]
    pub redis: Option<String>,
    /// Lock round trips timed, and as many raw SET NX PX + DEL; a tenth of it (50 to
    /// 1,000) contended rounds of two instances.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..=20_000))]
    pub iterations: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `mystocks bench store`.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Symbols in the demo market.
    #[arg(long, default_value_t = 5_000)]
    pub symbols: usize,
    /// Trading days per symbol.
    #[arg(long, default_value_t = 250)]
    pub days: usize,
    /// A PostgreSQL URL to any database on the server to test (a scratch database is
    /// created and dropped there), e.g. postgres://postgres@127.0.0.1/postgres.
    #[arg(long)]
    pub postgres: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `mystocks bench indicators`.
#[derive(Debug, Args)]
pub struct IndicatorArgs {
    /// Bars in the random walk.
    #[arg(long, default_value_t = 1_000_000)]
    pub bars: usize,
    /// Runs per indicator; the median is reported.
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// Only these indicator codes (comma-separated).
    #[arg(long)]
    pub only: Option<String>,
    /// Symbols in the panel benchmark.
    #[arg(long, default_value_t = 5_000)]
    pub panel_symbols: usize,
    /// Bars per symbol in the panel benchmark.
    #[arg(long, default_value_t = 2_500)]
    pub panel_bars: usize,
    /// Skip the panel benchmark.
    #[arg(long)]
    pub no_panel: bool,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command, writing to `out`.
pub async fn run(args: &BenchArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let a = match &args.which {
        Which::Indicators(a) => a,
        Which::Store(s) => return run_store(s, out).await,
        Which::Cache(c) => return run_cache(c, out).await,
        Which::Lock(c) => return run_lock(c, out).await,
        Which::Daily(d) => return run_daily_bench(d, out).await,
        Which::Ws(w) => return crate::bench::ws::run(w, out).await,
        Which::Clcc(c) => {
            let rt = crate::runtime::Runtime::start(crate::config::Config::from_env()?).await?;
            return super::clcc::run(c, &rt, out).await;
        }
    };
    let indicators = time_indicators(a.bars, a.runs, a.only.as_deref())?;
    let panel = if a.no_panel { None } else { Some(time_panel(a.panel_symbols, a.panel_bars, 3)?) };
    let report = IndicatorBench { bars: a.bars, runs: a.runs, indicators, panel };
    if a.json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{:<10} {:>10} {:>10}  params", "indicator", "ns/bar", "ms")?;
    for t in &report.indicators {
        writeln!(out, "{:<10} {:>10.2} {:>10.2}  {}", t.code, t.ns_per_bar, t.median_ms, t.params)?;
    }
    if let Some(p) = &report.panel {
        writeln!(
            out,
            "panel: standard set ({} indicators) x {} symbols x {} bars on {} threads: {:.3} s ({:.0} results/s)",
            p.indicators, p.symbols, p.bars, p.threads, p.seconds, p.results_per_second
        )?;
    }
    Ok(())
}

async fn run_store(args: &StoreArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let timings = crate::bench::time_store(args.symbols, args.days, args.postgres.as_deref()).await?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &timings)?;
        writeln!(out)?;
        return Ok(());
    }
    for t in &timings {
        write!(
            out,
            "{:<8} {} bars: import {:.2} s, re-import {:.2} s, read latest {} x {} symbols {:.3} s \
             ({:.3} s after the re-import)",
            t.backend,
            t.bars,
            t.import_seconds,
            t.reimport_seconds,
            t.read_bars,
            args.symbols,
            t.read_seconds,
            t.read_after_reimport_seconds
        )?;
        if let (Some(c), Some(r)) = (t.copy_seconds, t.import_to_copy_ratio) {
            write!(out, "; plain COPY {c:.2} s, import/COPY {r:.2}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The Redis to benchmark against: the given URL, or a private redis-server started
/// for the run (killed when the returned child is dropped).
async fn redis_for_bench(url: &Option<String>) -> anyhow::Result<(String, Option<tokio::process::Child>)> {
    if let Some(u) = url {
        return Ok((u.clone(), None));
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = tokio::process::Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let url = format!("redis://127.0.0.1:{port}/0");
    let client = redis::Client::open(url.as_str())?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while client.get_multiplexed_async_connection().await.is_err() {
        anyhow::ensure!(std::time::Instant::now() < deadline, "private redis-server did not start");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    Ok((url, Some(child)))
}

async fn run_daily_bench(args: &DailyBenchArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (url, private) = redis_for_bench(&args.redis).await?;
    let report =
        crate::bench::time_daily(args.symbols, args.days, args.runs.max(1), &url, args.postgres.as_deref()).await?;
    drop(private);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    for t in &report {
        let runs: Vec<String> = t.seconds.iter().map(|s| format!("{s:.2}")).collect();
        writeln!(
            out,
            "{:<52} {} symbols x {} bars: best {:.2} s (runs {}), {} events",
            t.setup,
            t.symbols,
            t.bars,
            t.best_seconds,
            runs.join(", "),
            t.events
        )?;
    }
    Ok(())
}

async fn run_lock(args: &LockArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (url, private) = redis_for_bench(&args.redis).await?;
    let report = crate::bench::time_lock(&url, args.iterations as usize).await?;
    drop(private);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    for l in [&report.lock_round_trip, &report.raw_set_nx_px_del, &report.winner, &report.waiter_extra] {
        writeln!(out, "{:<42} p50 {:>9.1} us  p99 {:>9.1} us  ({} samples)", l.what, l.p50_us, l.p99_us, l.samples)?;
    }
    writeln!(out, "lock / raw SET NX PX + DEL at p50: {:.2}", report.lock_to_raw_p50)?;
    Ok(())
}

async fn run_cache(args: &CacheArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (url, private) = redis_for_bench(&args.redis).await?;
    let report = crate::bench::time_cache(&url, args.iterations as usize).await?;
    drop(private);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "value: {} bytes of JSON (MACD over 250 bars)", report.value_bytes)?;
    for l in [&report.l1_hit, &report.l2_hit, &report.l2_hit_single_thread, &report.decode_only, &report.redis_get] {
        writeln!(out, "{:<26} p50 {:>9.3} us  p99 {:>9.3} us  ({} samples)", l.what, l.p50_us, l.p99_us, l.samples)?;
    }
    writeln!(
        out,
        "L2 hit / Redis GET at p50: {:.2} (2-thread runtime), {:.2} (1-thread runtime)",
        report.l2_to_redis_p50, report.l2_single_thread_to_redis_p50
    )?;
    Ok(())
}
