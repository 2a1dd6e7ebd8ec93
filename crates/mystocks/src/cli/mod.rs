//! The command line: one module per subcommand, each a thin layer over the library.

pub mod bars;
pub mod bench;
pub mod cache;
pub mod calc;
pub mod catalog;
pub mod clcc;
pub mod daily;
pub mod debug;
pub mod demo;
pub mod demo_data;
pub mod import;
pub mod indicator;
pub mod jobs;
pub mod serve;
pub mod symbols;
pub mod worker;

use clap::{Parser, Subcommand};

/// MyStocks engine: technical indicators for a whole market, computed exactly and fast.
#[derive(Debug, Parser)]
#[command(name = "mystocks", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The one-command tour: prepare the embedded store if empty (sample + 5,000
    /// synthetic symbols), serve the API and the dashboard, run a daily job.
    Demo(demo::DemoArgs),
    /// Serve the HTTP API (SPEC section 6) on MYSTOCKS_BIND until Ctrl-C or SIGTERM.
    Serve(serve::ServeArgs),
    /// Compute one indicator offline from a CSV file: one output row per input bar.
    Calc(calc::CalcArgs),
    /// Load bars from a CSV file into the store (one transaction per file).
    Import(import::ImportArgs),
    /// Write a deterministic synthetic A-share market into the store.
    DemoData(demo_data::DemoDataArgs),
    /// Print stored bars of one symbol.
    Bars(bars::BarsArgs),
    /// List the symbols in the store.
    Symbols(symbols::SymbolsArgs),
    /// Print the indicator catalog: codes, inputs, parameters with defaults, outputs.
    Catalog(catalog::CatalogArgs),
    /// One indicator through the cache path (L1, L2, store, compute), with its source.
    Indicator(indicator::IndicatorArgs),
    /// The daily job: the standard indicator set for every symbol.
    Daily(daily::DailyArgs),
    /// Join running distributed daily jobs as one more consumer (needs Redis).
    Worker(worker::WorkerArgs),
    /// List recent tasks, or show one (`jobs show ID`).
    Jobs(jobs::JobsArgs),
    /// Cache maintenance: `cache invalidate SYMBOL...`.
    Cache(cache::CacheArgs),
    /// Run the project's benchmarks.
    Bench(bench::BenchArgs),
    /// Internal commands used by the tests.
    #[command(hide = true)]
    Debug(debug::DebugArgs),
}

/// A count of at least 1, for `--limit` of a listing.
pub fn parse_positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("expected a whole number of at least 1, got `{s}`")),
    }
}

/// Splits `k=v` into its parts, for `--param`.
pub fn parse_key_value(s: &str) -> Result<(String, String), String> {
    let (k, v) = s.split_once('=').ok_or_else(|| format!("expected NAME=VALUE, got `{s}`"))?;
    if k.trim().is_empty() {
        return Err(format!("expected NAME=VALUE, got `{s}`"));
    }
    Ok((k.trim().to_string(), v.trim().to_string()))
}
