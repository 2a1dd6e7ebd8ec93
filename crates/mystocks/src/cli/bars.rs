//! `mystocks bars SYMBOL`: print stored bars.

use std::io::Write;

use clap::Args;
use serde_json::json;

use super::calc::Format;
use crate::format::shortest;
use crate::store::time::{format_ts, parse_ts};
use crate::store::{BarRange, Store};

/// Arguments of `mystocks bars`.
#[derive(Debug, Args)]
pub struct BarsArgs {
    /// Symbol code.
    pub symbol: String,
    /// Frequency.
    #[arg(long, default_value = "1d", value_parser = super::import::parse_freq)]
    pub freq: String,
    /// First bar (inclusive): YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or RFC 3339.
    #[arg(long, value_parser = parse_time)]
    pub start: Option<i64>,
    /// Last bar (inclusive), in the same forms.
    #[arg(long, value_parser = parse_time)]
    pub end: Option<i64>,
    /// Only the latest N bars of the range.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Output format: `csv` (date,open,high,low,close,volume, one row per bar) or `json`
    /// (one object with the bars).
    #[arg(long, value_enum, default_value_t = Format::Csv, hide_possible_values = true)]
    pub format: Format,
}

/// A bar time on the command line.
pub fn parse_time(text: &str) -> Result<i64, String> {
    parse_ts(text)
        .ok_or_else(|| format!("`{text}` is not a date or time (YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], RFC 3339)"))
}

/// Prints the bars; an unknown symbol is an error.
pub async fn run(args: &BarsArgs, store: &dyn Store, out: &mut dyn Write) -> anyhow::Result<()> {
    anyhow::ensure!(crate::market::valid_symbol(&args.symbol), "bad symbol `{}`", args.symbol);
    let range = BarRange { start: args.start, end: args.end, limit: args.limit };
    range.check().map_err(|e| anyhow::anyhow!("--start/--end: {e}"))?;
    if store.symbol(&args.symbol).await?.is_none() {
        anyhow::bail!("unknown symbol `{}`", args.symbol);
    }
    let bars = store.read_bars(&args.symbol, &args.freq, &range).await?;
    match args.format {
        Format::Csv => {
            let mut w = std::io::BufWriter::new(out);
            writeln!(w, "date,open,high,low,close,volume")?;
            for b in &bars {
                writeln!(
                    w,
                    "{},{},{},{},{},{}",
                    format_ts(b.ts, &args.freq),
                    shortest(b.open),
                    shortest(b.high),
                    shortest(b.low),
                    shortest(b.close),
                    shortest(b.volume)
                )?;
            }
            w.flush()?;
        }
        Format::Json => {
            let rows: Vec<_> = bars
                .iter()
                .map(|b| {
                    json!({"date": format_ts(b.ts, &args.freq), "open": b.open, "high": b.high, "low": b.low,
                           "close": b.close, "volume": b.volume})
                })
                .collect();
            serde_json::to_writer(&mut *out, &json!({"symbol": args.symbol, "freq": args.freq, "bars": rows}))?;
            writeln!(out)?;
        }
    }
    Ok(())
}
