//! `mystocks daily`: the standard set for the whole market, with a progress bar on a
//! terminal and one log line per progress event otherwise.

use std::io::{IsTerminal, Write};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::jobs::daily::{bus_for, run_daily, DailyNotice, DailyOptions};
use crate::jobs::stop::Stop;
use crate::runtime::Runtime;
pub use crate::store::time::parse_day_end;

/// Arguments of `mystocks daily`.
#[derive(Debug, Args)]
pub struct DailyArgs {
    /// Only these symbols (comma-separated; repeats count once); default: every symbol
    /// in the store.
    #[arg(long, value_delimiter = ',')]
    pub symbols: Option<Vec<String>>,
    /// Continue an interrupted task (its own symbols and date), skipping the symbols it
    /// already did.
    #[arg(long)]
    pub resume: Option<String>,
    /// Values as of this day (YYYY-MM-DD, UTC, inclusive); default the latest bars. An
    /// as-of run writes the store's values only: the cache keeps the latest results.
    #[arg(long, value_parser = parse_day_end)]
    pub date: Option<i64>,
    /// Run in this process even when Redis is configured (no work queue).
    #[arg(long)]
    pub local: bool,
    /// Claim work another worker left unacknowledged this long (milliseconds).
    #[arg(long, default_value_t = crate::jobs::worker::DEFAULT_CLAIM_IDLE.as_millis() as u64)]
    pub claim_idle_ms: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Failed symbols listed in the text report (all of them are in `--json`).
const FAILURES_SHOWN: usize = 20;

/// Runs the daily job; Ctrl-C or SIGTERM stops it between batches, with the task marked
/// interrupted (exit code 1, and how to resume it on stderr).
pub async fn run(args: &DailyArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    if let Some(symbols) = &args.symbols {
        for s in symbols {
            anyhow::ensure!(crate::market::valid_symbol(s), "--symbols: bad symbol `{s}`");
        }
    }
    let bus = bus_for(rt);
    let stop = Stop::on_signals();
    let bar = std::io::stderr().is_terminal().then(|| {
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} symbols  {msg}  ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb
    });
    let mut on_notice = |n: DailyNotice<'_>| match n {
        DailyNotice::Started { task_id, total, skipped, mode } => {
            let line = format!(
                "task {task_id} ({mode}): {total} symbols{}; Ctrl-C stops it, \
                 `mystocks daily --resume {task_id}` continues it",
                if skipped > 0 { format!(", {skipped} already done") } else { String::new() }
            );
            match &bar {
                Some(pb) => pb.println(line),
                None => eprintln!("{line}"),
            }
        }
        DailyNotice::Progress(p) => match &bar {
            Some(pb) => {
                pb.set_length(p.total);
                pb.set_position(p.processed);
                let rate = p.processed as f64 / pb.elapsed().as_secs_f64().max(1e-3);
                pb.set_message(format!("{rate:.0} symbols/s  failed {}", p.failed));
            }
            None => eprintln!(
                "task {}: {:.2}% {}/{} failed {} - {}",
                p.task_id, p.progress, p.processed, p.total, p.failed, p.message
            ),
        },
    };
    let opts = DailyOptions {
        symbols: args.symbols.clone(),
        resume: args.resume.clone(),
        until: args.date,
        local_only: args.local,
        claim_idle: std::time::Duration::from_millis(args.claim_idle_ms),
    };
    let report = run_daily(rt, bus.as_ref(), opts, &stop, &mut on_notice).await?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    if args.json {
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "task {} {} ({}): {} symbols, {} processed, {} failed, {} skipped (already done), {:.2} s, {} events",
            report.task_id,
            report.status,
            report.mode,
            report.total,
            report.processed,
            report.failed,
            report.skipped,
            report.duration_seconds,
            report.events
        )?;
        for f in report.failures.iter().take(FAILURES_SHOWN) {
            writeln!(out, "  failed {}: {}", f.symbol, f.reason)?;
        }
        if report.failed as usize > FAILURES_SHOWN {
            writeln!(out, "  ... {} more (--json lists up to 1,000)", report.failed as usize - FAILURES_SHOWN)?;
        }
    }
    out.flush()?;
    if report.total > 0 && report.failed == report.total {
        anyhow::bail!("task {}: every one of its {} symbols failed (see above)", report.task_id, report.total);
    }
    if report.status == "interrupted" {
        anyhow::bail!(
            "task {} interrupted after {} of {} symbols; `mystocks daily --resume {}` continues it",
            report.task_id,
            report.processed,
            report.total,
            report.task_id
        );
    }
    Ok(())
}
