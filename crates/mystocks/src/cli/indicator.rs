//! `mystocks indicator SYMBOL CODE`: one indicator through the full cache path
//! (L1, L2, store, compute); the JSON form carries `"source"`.

use std::io::Write;

use clap::Args;
use indicators::RawParam;

use super::calc::Format;
use crate::cache::IndicatorRequest;
use crate::format::shortest;
use crate::runtime::Runtime;

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
    #[arg(long, default_value = "1d")]
    pub freq: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

/// Reads the indicator through the cache, computing it from the stored bars on a miss.
pub async fn run(args: &IndicatorArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    let given: Vec<(String, RawParam)> =
        args.params.iter().map(|(k, v)| (k.clone(), RawParam::Text(v.clone()))).collect();
    let req = IndicatorRequest::new(&args.symbol, &args.code, &given, &args.freq)?;
    let (result, source) = rt.scheduler.get(&req).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    match args.format {
        Format::Json => {
            let mut doc = serde_json::to_value(result.as_ref())?;
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
