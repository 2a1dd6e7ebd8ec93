//! `mystocks import FILE.csv[.gz]`: load bars into the store, all or nothing.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cache::keys::valid_freq;
use crate::ingest::{write_bars, WriteMode};
use crate::market::{read_bar_file, to_import_batches};
use crate::runtime::Runtime;

/// Arguments of `mystocks import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CSV file (optionally .gz): `symbol,date,open,high,low,close,volume` or the
    /// sample form `Ticker,Date,Open,High,Low,Close,Volume,...`.
    pub file: PathBuf,
    /// Bar frequency of the file's rows: a number and a unit (s, m, h, d, w, mo), e.g.
    /// 1d, 15m, 1h.
    #[arg(long, default_value = "1d", value_parser = parse_freq)]
    pub freq: String,
}

/// A frequency the cache and every command accept.
pub fn parse_freq(s: &str) -> Result<String, String> {
    if valid_freq(s) {
        Ok(s.to_string())
    } else {
        Err(format!("`{s}` is not a frequency like 1d, 15m, 1h, 1w or 1mo"))
    }
}

/// Parses and validates the whole file first, then writes it in one transaction (the
/// cached results of its symbols invalidated before and after).
pub async fn run(args: &ImportArgs, rt: &Runtime, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let store = rt.store.as_ref();
    let spinner = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner.set_message(format!("reading {}", args.file.display()));
    let path = args.file.clone();
    let freq = args.freq.clone();
    // Parsing a large file is CPU work: keep it off the async runtime's threads.
    let batches = tokio::task::spawn_blocking(move || {
        let all = read_bar_file(&path)?;
        to_import_batches(&path, all, &freq)
    })
    .await
    .context("reading the file")??;
    let rows: usize = batches.iter().map(|b| b.bars.len()).sum();
    spinner.set_message(format!("writing {rows} bars of {} symbols in one transaction", batches.len()));
    let stats = write_bars(store, &rt.cache, &[], &batches, WriteMode::Merge).await?.stats;
    spinner.finish_and_clear();
    writeln!(
        out,
        "imported {} bars of {} symbols from {} into {}",
        stats.bars,
        stats.symbols,
        args.file.display(),
        store.backend()
    )?;
    Ok(())
}
