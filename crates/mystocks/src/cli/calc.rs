//! `mystocks calc`: one indicator over a CSV file, printed as CSV or JSON.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicators::{ParamValue, RawParam};
use serde_json::{json, Map, Value};

use crate::format::shortest;
use crate::market::read_symbol;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated, with a header row.
    Csv,
    /// JSON.
    Json,
}

/// Arguments of `mystocks calc`.
#[derive(Debug, Args)]
pub struct CalcArgs {
    /// CSV file (optionally .gz) with date,open,high,low,close,volume columns (and a
    /// `periods` column for MAVP, its period per bar).
    #[arg(long)]
    pub input: PathBuf,
    /// Indicator code, e.g. MACD (`mystocks catalog` lists them).
    #[arg(long)]
    pub indicator: String,
    /// A parameter as NAME=VALUE; repeat for several.
    #[arg(long = "param", value_parser = super::parse_key_value)]
    pub params: Vec<(String, String)>,
    /// The symbol to use when the file holds several.
    #[arg(long)]
    pub symbol: Option<String>,
    /// Output format: csv is `date,<output>...`, one row per bar, empty inside the
    /// lookback; json is one object with dates and output arrays (null inside the lookback).
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

/// Runs the command, writing to `out`.
pub fn run(args: &CalcArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let spec = indicators::find(&args.indicator)?;
    let given: Vec<(String, RawParam)> =
        args.params.iter().map(|(k, v)| (k.clone(), RawParam::Text(v.clone()))).collect();
    let params = spec.resolve(&given)?;
    let series = read_symbol(&args.input, args.symbol.as_deref())?;
    let outputs = spec.compute(&series.as_bars(), &params)?;
    match args.format {
        Format::Csv => {
            let mut w = std::io::BufWriter::new(out);
            write!(w, "date")?;
            for name in spec.outputs {
                write!(w, ",{name}")?;
            }
            writeln!(w)?;
            for (i, date) in series.dates.iter().enumerate() {
                write!(w, "{date}")?;
                for o in &outputs {
                    write!(w, ",{}", shortest(o[i]))?;
                }
                writeln!(w)?;
            }
            w.flush().context("writing output")?;
        }
        Format::Json => {
            let mut param_obj = Map::new();
            for (k, v) in params.iter() {
                param_obj.insert(k.to_string(), param_json(v));
            }
            let mut outs = Map::new();
            for (name, o) in spec.outputs.iter().zip(&outputs) {
                let values: Vec<Value> =
                    o.iter().map(|&v| if v.is_finite() { json!(v) } else { Value::Null }).collect();
                outs.insert(name.to_string(), Value::Array(values));
            }
            let doc = json!({
                "symbol": series.symbol,
                "code": spec.code,
                "params": param_obj,
                "lookback": spec.lookback(&params),
                "dates": series.dates,
                "outputs": outs,
            });
            serde_json::to_writer(&mut *out, &doc)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn param_json(v: ParamValue) -> Value {
    match v {
        ParamValue::Int(i) => json!(i),
        ParamValue::Real(r) => json!(r),
    }
}
