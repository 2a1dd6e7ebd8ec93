//! `mystocks cache invalidate SYMBOL...`: drops every tier's cached results of the
//! symbols on every instance (L1 here and, through Redis, elsewhere; L2; the store's).

use std::io::Write;

use clap::{Args, Subcommand};

use crate::cache::RemoteInvalidation;
use crate::runtime::Runtime;

/// Arguments of `mystocks cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do.
    #[command(subcommand)]
    pub what: CacheCommand,
}

/// Cache commands.
#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Invalidate every tier's results of these symbols, on every instance.
    Invalidate {
        /// Symbol codes.
        #[arg(required = true)]
        symbols: Vec<String>,
    },
}

/// Runs a cache command.
pub async fn run(args: &CacheArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    match &args.what {
        CacheCommand::Invalidate { symbols } => {
            for s in symbols {
                anyhow::ensure!(crate::market::valid_symbol(s), "bad symbol `{s}`");
            }
            let remote = rt.cache.invalidate_many(symbols).await?;
            let how = match remote {
                RemoteInvalidation::NotConfigured => "embedded: L1 and the store".to_string(),
                RemoteInvalidation::Done => "L1, Redis (every instance told) and the store".to_string(),
                RemoteInvalidation::Failed(e) => {
                    format!(
                        "L1 and the store; Redis unreachable ({e}): its values are deleted once it is back, \
                         other instances learn it from the store's change feed"
                    )
                }
            };
            writeln!(out, "invalidated {} symbol(s): {how}", symbols.len())?;
        }
    }
    Ok(())
}
