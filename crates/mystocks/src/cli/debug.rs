//! Hidden `mystocks debug ...` commands that tests use to exercise real processes.

use std::io::Write;
use std::time::Duration;

use clap::{Args, Subcommand};

use crate::runtime::Runtime;

/// Arguments of `mystocks debug`.
#[derive(Debug, Args)]
pub struct DebugArgs {
    /// What to do.
    #[command(subcommand)]
    pub what: DebugCommand,
}

/// Debug commands.
#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Take a lock, keep it alive with the watchdog, print `held FENCE`, and wait to be killed.
    HoldLock {
        /// Resource name (under REDIS_LOCK_PREFIX).
        resource: String,
        /// Lock TTL in milliseconds.
        #[arg(long, default_value_t = 1000)]
        ttl_ms: u64,
    },
}

/// Runs a debug command.
pub async fn run(args: &DebugArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    match &args.what {
        DebugCommand::HoldLock { resource, ttl_ms } => {
            let ttl = Duration::from_millis(*ttl_ms);
            let mut guard =
                rt.locks.acquire(resource, ttl, ttl * 10).await?.ok_or_else(|| anyhow::anyhow!("lock busy"))?;
            guard.start_watchdog();
            writeln!(out, "held {}", guard.fence())?;
            out.flush()?;
            // Until killed; the watchdog keeps the lock alive meanwhile.
            std::future::pending::<()>().await;
            Ok(())
        }
    }
}
