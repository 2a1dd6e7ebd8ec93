//! `mystocks catalog`: every indicator with its inputs, parameters and outputs.

use std::io::Write;

use clap::Args;

use super::calc::Format;
use crate::catalog::entries;

/// Arguments of `mystocks catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Output format: a table (`csv`: one row per indicator) or the JSON document.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

/// Prints the catalog.
pub fn run(args: &CatalogArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let all = entries();
    match args.format {
        Format::Json => {
            serde_json::to_writer(&mut *out, &serde_json::json!({ "indicators": all }))?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = std::io::BufWriter::new(out);
            writeln!(w, "code,group,inputs,params,outputs")?;
            for e in &all {
                let params: Vec<String> = e.params.iter().map(|p| format!("{}={}", p.name, p.default)).collect();
                writeln!(
                    w,
                    "{},{},{},{},{}",
                    e.code,
                    e.group,
                    e.inputs.join(" "),
                    params.join(" "),
                    e.outputs.join(" ")
                )?;
            }
            w.flush()?;
        }
    }
    Ok(())
}
