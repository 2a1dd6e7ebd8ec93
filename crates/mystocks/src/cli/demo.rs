//! `mystocks demo`: the one-command tour. Prepares the store if it is empty (the bundled
//! real sample plus a synthetic market), serves the API and the dashboard, optionally
//! starts local worker processes, runs a daily job with its progress on the terminal,
//! prints the dashboard's address and serves until Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::broadcast::error::RecvError;

use crate::bus::events::EventBody;
use crate::demo::{generate, MAX_SYMBOLS};
use crate::ingest::{write_bars, WriteMode};
use crate::jobs::daily::{job_record, DailyOptions};
use crate::jobs::stop::shutdown_signal;
use crate::market::{read_bar_bytes, to_import_batches};
use crate::runtime::Runtime;
use crate::server::{serve, AppState};

/// The real sample (Quandl WIKI, public domain: AAPL, FB, GOOG, IBM, MSFT 2000-2013),
/// inside the binary so that the demo works from any directory.
const SAMPLE: &[u8] = include_bytes!("../../../../fixtures/us_daily_2000_2013.csv.gz");
const SAMPLE_NAME: &str = "us_daily_2000_2013.csv.gz (bundled)";
/// A symbol of the sample: present once a preparation has finished.
const SAMPLE_MARKER: &str = "AAPL";
/// The synthetic market's seed.
const SEED: u64 = 1;

/// Symbols written per transaction while the synthetic market is loaded (one step of
/// the progress bar).
const CHUNK: usize = 250;

/// How long a worker may take to say it is ready, and to stop when asked.
const WORKER_READY: Duration = Duration::from_secs(30);
const WORKER_STOP: Duration = Duration::from_secs(10);

/// Arguments of `mystocks demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Listen address (default: MYSTOCKS_BIND, 127.0.0.1:8000; port 0 picks a free port).
    #[arg(long)]
    pub bind: Option<SocketAddr>,
    /// Synthetic symbols to create when the store is empty (at most 7,000).
    #[arg(long, default_value_t = 5000)]
    pub symbols: usize,
    /// Trading days per synthetic symbol.
    #[arg(long, default_value_t = 250)]
    pub days: usize,
    /// Local `mystocks worker` processes to start beside the server (needs REDIS_URL),
    /// so the job is spread over them.
    #[arg(long, default_value_t = 0)]
    pub workers: usize,
    /// Serve without running a daily job first.
    #[arg(long)]
    pub no_job: bool,
}

/// Runs the tour until a signal.
pub async fn run(args: &DemoArgs, rt: Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=MAX_SYMBOLS).contains(&args.symbols),
        "--symbols must be from 1 to {MAX_SYMBOLS} (the demo's board code ranges hold 1,000 codes each)"
    );
    anyhow::ensure!((30..=5_000).contains(&args.days), "--days must be from 30 to 5000");
    anyhow::ensure!(args.workers <= 16, "--workers must be from 0 to 16");
    if args.workers > 0 && rt.redis.is_none() {
        anyhow::bail!("--workers needs Redis: set REDIS_URL (workers share the job through Redis Streams)");
    }
    let addr = args.bind.unwrap_or(rt.config.bind);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("MYSTOCKS_BIND: cannot listen on {addr} (another address: --bind 127.0.0.1:8001)"))?;
    let bound = listener.local_addr()?;

    prepare(args, &rt, out).await?;

    let state = AppState::new(rt);
    let mode = state.rt.cache.mode();
    let server = tokio::spawn(serve(listener, state.clone(), shutdown_signal()));
    let dashboard = format!("http://{bound}/");
    writeln!(out, "serving the API and the dashboard at {dashboard} ({} mode)", format!("{mode:?}").to_lowercase())?;
    out.flush()?;

    let workers = start_workers(args.workers).await?;
    if !workers.is_empty() {
        writeln!(out, "started {} local workers", workers.len())?;
    }
    if !args.no_job {
        run_job(&state, out).await?;
    }
    // A signal during the job has already begun the shutdown.
    if !server.is_finished() {
        writeln!(out, "dashboard: {dashboard}   (Ctrl-C to stop)")?;
        out.flush()?;
    }
    let served = server.await.context("the server task")?;
    stop_workers(workers).await;
    served.context("serving")?;
    writeln!(out, "stopped")?;
    Ok(())
}

/// Fills an empty store with the synthetic market, then the sample; written last, the
/// sample marks a finished preparation, so one cut short (Ctrl-C) is finished by the next
/// run. A store with other data is used as it is.
async fn prepare(args: &DemoArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = rt.store.as_ref();
    let empty = store.list_symbols(1, 0).await?.is_empty();
    if !empty && (store.symbol(SAMPLE_MARKER).await?.is_some() || !holds_demo_market(rt).await?) {
        writeln!(out, "using the data already in {} (--symbols and --days fill an empty store)", store.backend())?;
        return Ok(());
    }
    let verb = if empty { "preparing" } else { "finishing an interrupted preparation of" };
    writeln!(out, "{verb} {}: {} synthetic symbols and the bundled sample", store.backend(), args.symbols)?;
    let bar = ProgressBar::new((args.symbols + 5) as u64).with_style(
        ProgressStyle::with_template("{spinner} {msg:16} [{bar:20}] {pos}/{len} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(120));

    bar.set_message("generating");
    let (n, d) = (args.symbols, args.days);
    let market = tokio::task::spawn_blocking(move || generate(n, d, SEED)).await?;
    bar.set_message("writing");
    // Without a terminal the bar is hidden: a line per 1,000 symbols tells the log instead.
    let plain = bar.is_hidden();
    for (symbols, bars) in market.symbols.chunks(CHUNK).zip(market.bars.chunks(CHUNK)) {
        write_bars(store, &rt.cache, symbols, bars, WriteMode::Replace).await?;
        bar.inc(symbols.len() as u64);
        if plain && (bar.position().is_multiple_of(1000) || bar.position() as usize == n) {
            writeln!(out, "  wrote {} of {n} synthetic symbols", bar.position())?;
        }
    }

    bar.set_message("real sample");
    let sample = tokio::task::spawn_blocking(|| {
        let all = read_bar_bytes(SAMPLE, SAMPLE_NAME)?;
        to_import_batches(Path::new(SAMPLE_NAME), all, "1d")
    })
    .await
    .context("reading the bundled sample")??;
    let written = write_bars(store, &rt.cache, &[], &sample, WriteMode::Merge).await?.stats;
    bar.inc(written.symbols as u64);
    bar.finish_and_clear();
    writeln!(out, "prepared {} symbols in {} ({} s)", n + written.symbols, store.backend(), bar.elapsed().as_secs())?;
    Ok(())
}

/// Whether the store's first demo code holds the demo's own symbol (same name), i.e. an
/// earlier preparation began here.
async fn holds_demo_market(rt: &Runtime) -> anyhow::Result<bool> {
    let first = generate(1, 1, SEED).symbols.remove(0);
    Ok(rt.store.symbol(&first.code).await?.is_some_and(|s| s.name == first.name))
}

/// Starts `n` `mystocks worker` processes of this binary and waits until each is ready,
/// so that the job is spread over them from its first batch. Their later output goes to
/// this process's stderr.
async fn start_workers(n: usize) -> anyhow::Result<Vec<Child>> {
    let exe = std::env::current_exe().context("finding this program to start workers")?;
    let mut workers = Vec::with_capacity(n);
    for i in 1..=n {
        let mut child = Command::new(&exe)
            .args(["worker", "--name", &format!("demo-worker-{i}")])
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting worker {i}"))?;
        let stdout = child.stdout.take().context("the worker's output")?;
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(WORKER_READY, async {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains(" ready") {
                    return true;
                }
            }
            false
        })
        .await;
        if ready != Ok(true) {
            anyhow::bail!("worker {i} did not get ready in {} s (see its log above)", WORKER_READY.as_secs());
        }
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                eprintln!("{line}");
            }
        });
        workers.push(child);
    }
    Ok(workers)
}

/// Asks the workers to stop (SIGTERM: each finishes its batch and says what it did),
/// then waits for them; any still running after [`WORKER_STOP`] is killed.
async fn stop_workers(mut workers: Vec<Child>) {
    for child in &workers {
        if let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()) {
            // SAFETY: kill(2) on a child's pid has no memory effects.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
    }
    for child in &mut workers {
        let _ = tokio::time::timeout(WORKER_STOP, child.wait()).await;
    }
}

/// Starts a daily job over every symbol and shows its progress until it ends.
async fn run_job(state: &AppState, out: &mut dyn Write) -> anyhow::Result<()> {
    // Subscribe before the start so that no event of the job is missed.
    let mut events = state.bus.subscribe();
    let started = Instant::now();
    let task_id = state.jobs.start(DailyOptions::default()).await.context("starting the daily job")?;
    let bar = ProgressBar::new(100).with_style(
        ProgressStyle::with_template("daily job {msg} [{bar:30}] {pos}% [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(task_id.clone());
    let mut check = tokio::time::interval(Duration::from_millis(500));
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(delivered) => match delivered.event.body {
                    EventBody::TaskProgress(p) if p.task_id == task_id => bar.set_position(p.progress.round() as u64),
                    EventBody::TaskCompleted(c) if c.task_id == task_id => break,
                    _ => {}
                },
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            },
            // A job stopped by a signal (or failed) may end without its completion event.
            _ = check.tick() => if !state.jobs.is_running(&task_id) { break },
        }
    }
    bar.finish_and_clear();
    let record = job_record(&state.rt, &task_id).await?;
    let seconds = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "daily job {task_id} {}: {} of {} symbols processed, {} failed, in {seconds:.1} s",
        record.status.as_str(),
        record.processed,
        record.total,
        record.failed
    )?;
    if record.status.as_str() == "interrupted" {
        writeln!(out, "continue it with: mystocks daily --resume {task_id}")?;
    }
    Ok(())
}
