//! `mystocks symbols`: the symbols in the store, with name and exchange.

use std::io::Write;

use clap::Args;

use super::calc::Format;
use crate::store::Store;

/// Arguments of `mystocks symbols`.
#[derive(Debug, Args)]
pub struct SymbolsArgs {
    /// At most this many (by code).
    #[arg(long, default_value_t = 100, value_parser = super::parse_positive)]
    pub limit: usize,
    /// Skip this many first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Output format: csv is `code,name,exchange,listed_on`, one row per symbol; json is
    /// `{"symbols": [...]}` with those fields.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

/// Prints the symbols.
pub async fn run(args: &SymbolsArgs, store: &dyn Store, out: &mut dyn Write) -> anyhow::Result<()> {
    let symbols = store.list_symbols(args.limit, args.offset).await?;
    match args.format {
        Format::Json => {
            serde_json::to_writer(&mut *out, &serde_json::json!({ "symbols": symbols }))?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(["code", "name", "exchange", "listed_on"])?;
            for s in &symbols {
                w.write_record([&s.code, &s.name, &s.exchange, s.listed_on.as_deref().unwrap_or("")])?;
            }
            w.flush()?;
        }
    }
    Ok(())
}
