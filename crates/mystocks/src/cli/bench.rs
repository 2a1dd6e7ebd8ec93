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
pub fn run(args: &BenchArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let Which::Indicators(a) = &args.which;
    let indicators = time_indicators(a.bars, a.runs, a.only.as_deref());
    let panel = if a.no_panel {
        None
    } else {
        Some(time_panel(a.panel_symbols, a.panel_bars, 3)?)
    };
    let report = IndicatorBench {
        bars: a.bars,
        runs: a.runs,
        indicators,
        panel,
    };
    if a.json {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<10} {:>10} {:>10}  params",
        "indicator", "ns/bar", "ms"
    )?;
    for t in &report.indicators {
        writeln!(
            out,
            "{:<10} {:>10.2} {:>10.2}  {}",
            t.code, t.ns_per_bar, t.median_ms, t.params
        )?;
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
