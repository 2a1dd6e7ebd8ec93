//! `mystocks indicator SYMBOL CODE`: one indicator through the full cache path
//! (L1, L2, store, compute); the JSON form carries `"source"`. Without `--start`,
//! `--end` or `--limit` it covers every stored bar; those slice that full computation.

use std::io::Write;

use clap::Args;
use indicators::RawParam;

use super::calc::Format;
use crate::cache::IndicatorRequest;
use crate::format::shortest;
use crate::runtime::Runtime;
use crate::store::BarRange;

/// Arguments of `mystocks indicator`.
#[derive(Debug, Args)]
pub struct IndicatorArgs {
    /// Symbol code.
    pub symbol: String,
    /// Indicator code, e.g. MACD.
    pub code: String,
    /// A parameter as NAME=VALUE; repeat for several.
    #[arg(long = "param", value_parser = super::parse_key_value)]
    pub params: Vec<(String, String)>,
    /// Bar frequency.
    #[arg(long, default_value = "1d", value_parser = super::import::parse_freq)]
    pub freq: String,
    /// First bar (inclusive): YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or RFC 3339.
    #[arg(long, value_parser = super::bars::parse_time)]
    pub start: Option<i64>,
    /// Last bar (inclusive), in the same forms.
    #[arg(long, value_parser = super::bars::parse_time)]
    pub end: Option<i64>,
    /// Only the latest N bars (of the range).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

/// Reads the indicator through the cache, computing it from the stored bars on a miss.
pub async fn run(args: &IndicatorArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    let range = BarRange { start: args.start, end: args.end, limit: args.limit };
    range.check().map_err(|e| anyhow::anyhow!("--start/--end: {e}"))?;
    let given: Vec<(String, RawParam)> =
        args.params.iter().map(|(k, v)| (k.clone(), RawParam::Text(v.clone()))).collect();
    let req = IndicatorRequest::new(&args.symbol, &args.code, &given, &args.freq)?;
    let (full, source) = rt.scheduler.get(&req).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let result = full.slice(&range);
    match args.format {
        Format::Json => {
            let mut doc = serde_json::to_value(&result)?;
            doc["source"] = serde_json::json!(source.as_str());
            serde_json::to_writer(&mut *out, &doc)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let names = req.spec.outputs;
            let mut w = std::io::BufWriter::new(out);
            writeln!(w, "date,{}", names.join(","))?;
            for (i, date) in result.dates.iter().enumerate() {
                write!(w, "{date}")?;
                for name in names {
                    let v = result.outputs.get(*name).and_then(|s| s.get(i).copied().flatten());
                    write!(w, ",{}", v.map(shortest).unwrap_or_default())?;
                }
                writeln!(w)?;
            }
            w.flush()?;
        }
    }
    Ok(())
}
