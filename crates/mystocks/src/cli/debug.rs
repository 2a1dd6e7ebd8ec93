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
    /// Subscribe to the Redis bus, print `listening`, then each event delivered on
    /// `channels` as one JSON line (`channel`, `event_id`, `event`), `count` of them.
    Listen {
        /// Channels to print (comma-separated), e.g. events:tasks.
        #[arg(long, value_delimiter = ',', required = true)]
        channels: Vec<String>,
        /// Stop after this many events.
        #[arg(long, default_value_t = 1)]
        count: usize,
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
        DebugCommand::Listen { channels, count } => {
            let wanted =
                channels.iter().map(|c| crate::bus::channels::Channel::parse(c)).collect::<Result<Vec<_>, _>>()?;
            let link = rt.redis.clone().ok_or_else(|| anyhow::anyhow!("listen needs Redis: set REDIS_URL"))?;
            let bus = crate::bus::redis::RedisBus::new(link, &rt.config.pubsub_prefix);
            let mut rx = crate::bus::Bus::subscribe(&bus);
            bus.wait_subscribed(1).await;
            writeln!(out, "listening")?;
            out.flush()?;
            let mut seen = 0;
            while seen < *count {
                let d = match rx.recv().await {
                    Ok(d) => d,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(e) => return Err(e.into()),
                };
                if !wanted.contains(&d.channel) {
                    continue;
                }
                let line =
                    serde_json::json!({"channel": d.channel.to_string(), "event_id": d.event_id, "event": d.event});
                writeln!(out, "{line}")?;
                out.flush()?;
                seen += 1;
            }
            Ok(())
        }
    }
}
