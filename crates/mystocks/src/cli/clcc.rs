//! `mystocks bench clcc`: many concurrent requests for a few keys through the scheduler,
//! reporting how many computations this process did and whether every value was right.
//! Several of these processes against one Redis show computations happen once overall.
//! A run that saw a wrong answer or a failed request fails (exit code 1), after
//! printing its report.

use std::collections::BTreeMap;
use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cache::{compute_result, IndicatorRequest};
use crate::runtime::Runtime;
use crate::scheduler::SchedulerStats;
use crate::store::BarRange;

/// Arguments of `mystocks bench clcc`.
#[derive(Debug, Args)]
pub struct ClccArgs {
    /// Distinct (symbol, indicator) keys: MACD over the first N symbols of the store.
    #[arg(long, default_value_t = 20)]
    pub keys: usize,
    /// Concurrent requests, spread round-robin over the keys.
    #[arg(long, default_value_t = 100)]
    pub requests: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// What one process saw.
#[derive(Debug, Serialize)]
pub struct ClccReport {
    /// Requests made.
    pub requests: usize,
    /// Requests that returned a value.
    pub ok: usize,
    /// Requests that failed.
    pub errors: usize,
    /// Values that differ from a direct computation.
    pub wrong: usize,
    /// Computations done by this process.
    pub computations: u64,
    /// Answers by source.
    pub sources: BTreeMap<String, usize>,
    /// p50 / p99 request latency, milliseconds.
    pub p50_ms: f64,
    /// p99.
    pub p99_ms: f64,
    /// Slowest request.
    pub max_ms: f64,
    /// The scheduler's counters.
    pub scheduler: SchedulerStats,
}

/// Runs the requests.
pub async fn run(args: &ClccArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    let symbols = rt.store.list_symbols(args.keys, 0).await?;
    anyhow::ensure!(symbols.len() == args.keys, "the store has {} symbols, {} needed", symbols.len(), args.keys);
    let requests: Vec<IndicatorRequest> =
        symbols.iter().map(|s| IndicatorRequest::new::<&str>(&s.code, "MACD", &[], "1d")).collect::<Result<_, _>>()?;
    // The reference values, computed directly, to check every answer.
    let mut expected = Vec::with_capacity(requests.len());
    for r in &requests {
        let bars = rt.store.read_bars(&r.symbol, "1d", &BarRange::default()).await?;
        expected.push(compute_result(r, &bars)?);
    }
    // Said when the requests begin: processes started together wait for it.
    eprintln!("started");
    let tasks: Vec<_> = (0..args.requests)
        .map(|i| {
            let k = i % requests.len();
            let (sched, r) = (rt.scheduler.clone(), requests[k].clone());
            tokio::spawn(async move {
                let t = std::time::Instant::now();
                let result = sched.get(&r).await;
                (k, result, t.elapsed().as_secs_f64() * 1e3)
            })
        })
        .collect();
    let mut report = ClccReport {
        requests: args.requests,
        ok: 0,
        errors: 0,
        wrong: 0,
        computations: 0,
        sources: BTreeMap::new(),
        p50_ms: 0.0,
        p99_ms: 0.0,
        max_ms: 0.0,
        scheduler: rt.scheduler.stats(),
    };
    let mut latencies = Vec::with_capacity(args.requests);
    for t in tasks {
        let (k, result, ms) = t.await?;
        latencies.push(ms);
        match result {
            Ok((value, source)) => {
                report.ok += 1;
                *report.sources.entry(source.as_str().to_string()).or_default() += 1;
                if value.outputs != expected[k].outputs || value.dates != expected[k].dates {
                    report.wrong += 1;
                }
            }
            Err(e) => {
                report.errors += 1;
                eprintln!("request failed: {e}");
            }
        }
    }
    rt.cache.flush().await;
    latencies.sort_by(|a, b| a.total_cmp(b));
    let at =
        |q: f64| latencies.get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1))).copied();
    report.p50_ms = at(0.5).unwrap_or(0.0);
    report.p99_ms = at(0.99).unwrap_or(0.0);
    report.max_ms = latencies.last().copied().unwrap_or(0.0);
    report.scheduler = rt.scheduler.stats();
    report.computations = report.scheduler.computations;
    if args.json {
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        let sources: Vec<String> = report.sources.iter().map(|(s, n)| format!("{s} {n}")).collect();
        writeln!(
            out,
            "{} requests: {} answered ({}), {} failed, {} wrong; {} computed here; \
             p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; lock waits {}, fallbacks {}",
            report.requests,
            report.ok,
            sources.join(", "),
            report.errors,
            report.wrong,
            report.computations,
            report.p50_ms,
            report.p99_ms,
            report.max_ms,
            report.scheduler.lock_waits,
            report.scheduler.fallbacks
        )?;
    }
    out.flush()?;
    anyhow::ensure!(
        report.wrong == 0 && report.errors == 0,
        "{} of {} answers differed from a fresh computation on the current bars and {} requests failed",
        report.wrong,
        report.requests,
        report.errors
    );
    Ok(())
}
