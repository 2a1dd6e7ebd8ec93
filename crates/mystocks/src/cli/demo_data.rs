//! `mystocks demo-data`: write a deterministic synthetic market into the store.

use clap::Args;

use crate::demo::generate;
use crate::store::Store;

/// Arguments of `mystocks demo-data`.
#[derive(Debug, Args)]
pub struct DemoDataArgs {
    /// Number of symbols.
    #[arg(long, default_value_t = 50)]
    pub symbols: usize,
    /// Trading days per symbol.
    #[arg(long, default_value_t = 250)]
    pub days: usize,
    /// Random seed: the same seed gives the same market.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Generates and imports the market.
pub async fn run(args: &DemoDataArgs, store: &dyn Store, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    anyhow::ensure!(args.symbols > 0 && args.days > 0, "--symbols and --days must be at least 1");
    let (n, d, seed) = (args.symbols, args.days, args.seed);
    let market = tokio::task::spawn_blocking(move || generate(n, d, seed)).await?;
    let stats = store.import_bars(&market.symbols, &market.bars).await?;
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
