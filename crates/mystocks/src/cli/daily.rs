//! `mystocks daily`: the standard set for the whole market, with a progress bar on a
//! terminal and one log line per progress event otherwise.

use std::io::{IsTerminal, Write};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::jobs::daily::{bus_for, run_daily, DailyOptions};
use crate::runtime::Runtime;

/// Arguments of `mystocks daily`.
#[derive(Debug, Args)]
pub struct DailyArgs {
    /// Only these symbols (comma-separated); default: every symbol in the store.
    #[arg(long, value_delimiter = ',')]
    pub symbols: Option<Vec<String>>,
    /// Continue an interrupted task, skipping the symbols it already did.
    #[arg(long)]
    pub resume: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the daily job.
pub async fn run(args: &DailyArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    if let Some(symbols) = &args.symbols {
        for s in symbols {
            anyhow::ensure!(crate::market::valid_symbol(s), "--symbols: bad symbol `{s}`");
        }
    }
    let bus = bus_for(rt);
    let bar = std::io::stderr().is_terminal().then(|| {
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} symbols  {per_sec}  ETA {eta}  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb
    });
    let mut on_progress = |p: &crate::bus::events::TaskProgress| match &bar {
        Some(pb) => {
            pb.set_length(p.total);
            pb.set_position(p.processed);
            pb.set_message(format!("failed {}", p.failed));
        }
        None => {
            tracing::info!(task = %p.task_id, processed = p.processed, total = p.total, failed = p.failed, "{}", p.message)
        }
    };
    let opts = DailyOptions { symbols: args.symbols.clone(), resume: args.resume.clone() };
    let report = run_daily(rt, bus.as_ref(), opts, &mut on_progress).await?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    if args.json {
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "task {}: {} symbols, {} failed, {} skipped (already done), {:.2} s, {} events",
            report.task_id, report.total, report.failed, report.skipped, report.duration_seconds, report.events
        )?;
    }
    Ok(())
}
