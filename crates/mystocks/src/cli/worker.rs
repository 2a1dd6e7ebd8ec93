//! `mystocks worker`: one more consumer of running distributed daily jobs, until Ctrl-C
//! (or SIGTERM), or until it has been idle for `--exit-when-idle` seconds.

use std::io::Write;
use std::time::{Duration, Instant};

use clap::Args;

use crate::jobs::daily::bus_for;
use crate::jobs::worker::{Consumer, Step, DEFAULT_CLAIM_IDLE};
use crate::runtime::Runtime;

/// Arguments of `mystocks worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Consumer name (default: `worker-HOST-PID`).
    #[arg(long)]
    pub name: Option<String>,
    /// Claim work another worker left unacknowledged this long (milliseconds).
    #[arg(long, default_value_t = DEFAULT_CLAIM_IDLE.as_millis() as u64)]
    pub claim_idle_ms: u64,
    /// Exit after this many seconds without work (default: run until stopped).
    #[arg(long)]
    pub exit_when_idle: Option<f64>,
    /// For crash tests: after this many batches, read one more, print `stalled`, and
    /// hang without acknowledging it.
    #[arg(long, hide = true)]
    pub stall_after_batches: Option<u64>,
}

/// Runs the worker.
pub async fn run(args: &WorkerArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    let name = args.name.clone().unwrap_or_else(|| Consumer::default_name("worker"));
    anyhow::ensure!(!name.is_empty(), "--name: a consumer name cannot be empty");
    anyhow::ensure!(
        name.len() <= 64 && name.chars().all(|c| c.is_ascii_graphic()),
        "--name: `{name}` is not a consumer name (up to 64 printable characters, no spaces)"
    );
    let link = rt.redis.clone().ok_or_else(|| anyhow::anyhow!("a worker needs Redis: set REDIS_URL"))?;
    let bus = bus_for(rt);
    let mut consumer = Consumer::new(rt, bus.as_ref(), link, name.clone(), Duration::from_millis(args.claim_idle_ms))?
        .stall_after(args.stall_after_batches);
    writeln!(out, "worker {name} ready")?;
    out.flush()?;
    let (mut symbols, mut idle_since, mut warned) = (0usize, Instant::now(), false);
    let stop = crate::jobs::stop::shutdown_signal();
    tokio::pin!(stop);
    loop {
        // Stop between steps, never inside one: a batch read is finished and acknowledged.
        if futures::FutureExt::now_or_never(&mut stop).is_some() {
            break;
        }
        match consumer.step().await {
            Ok(Step::Worked { symbols: n, completed }) => {
                warned = false;
                symbols += n;
                idle_since = Instant::now();
                for task in completed {
                    tracing::info!(task, "task completed");
                }
            }
            Ok(Step::Idle) => {
                if args.exit_when_idle.is_some_and(|s| idle_since.elapsed().as_secs_f64() >= s) {
                    break;
                }
            }
            Ok(Step::Stalled) => {
                writeln!(out, "stalled")?;
                out.flush()?;
                stop.await;
                break;
            }
            Err(e) => {
                // Redis away (or came back empty); keep trying, and count the time as
                // idle: no work was done.
                if !warned {
                    tracing::warn!("worker step failed: {e:#}; retrying every 0.5 s");
                    warned = true;
                }
                if args.exit_when_idle.is_some_and(|s| idle_since.elapsed().as_secs_f64() >= s) {
                    break;
                }
                tokio::select! {
                    () = &mut stop => break,
                    () = tokio::time::sleep(Duration::from_millis(500)) => {}
                }
                continue;
            }
        }
    }
    consumer.leave().await;
    rt.cache.flush().await;
    writeln!(out, "worker {name} stopped: {symbols} symbols, {} events", consumer.events())?;
    Ok(())
}
