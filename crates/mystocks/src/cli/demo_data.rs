//! `mystocks demo-data`: write a deterministic synthetic market into the store.

use clap::Args;

use crate::demo::{generate, MAX_SYMBOLS};
use crate::ingest::{write_bars, WriteMode};
use crate::runtime::Runtime;

/// The most trading days a demo market spans (about 80 years).
const MAX_DAYS: usize = 20_000;

/// Arguments of `mystocks demo-data`.
#[derive(Debug, Args)]
pub struct DemoDataArgs {
    /// Number of symbols (at most 7,000).
    #[arg(long, default_value_t = 50)]
    pub symbols: usize,
    /// Trading days per symbol.
    #[arg(long, default_value_t = 250)]
    pub days: usize,
    /// Random seed: the same seed gives the same market.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Generates and imports the market (cached results of its symbols invalidated).
pub async fn run(args: &DemoDataArgs, rt: &Runtime, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=MAX_SYMBOLS).contains(&args.symbols),
        "--symbols must be from 1 to {MAX_SYMBOLS} (the demo's board code ranges hold 1,000 codes each)"
    );
    anyhow::ensure!((1..=MAX_DAYS).contains(&args.days), "--days must be from 1 to {MAX_DAYS}");
    let (n, d, seed) = (args.symbols, args.days, args.seed);
    let market = tokio::task::spawn_blocking(move || generate(n, d, seed)).await?;
    let store = rt.store.as_ref();
    let stats = write_bars(store, &rt.cache, &market.symbols, &market.bars, WriteMode::Replace).await?.stats;
    writeln!(
        out,
        "demo market (seed {}): {} symbols, {} bars written to {}",
        args.seed,
        stats.symbols,
        stats.bars,
        store.backend()
    )?;
    Ok(())
}
