//! `mystocks serve`: the HTTP API on `MYSTOCKS_BIND` (or `--bind`), until Ctrl-C or
//! SIGTERM; then a graceful shutdown (see [`crate::server::serve`]).

use std::io::Write;
use std::net::SocketAddr;

use anyhow::Context;
use clap::Args;

use crate::jobs::stop::shutdown_signal;
use crate::runtime::Runtime;
use crate::server::{serve, AppState};

/// Arguments of `mystocks serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Listen address, e.g. 127.0.0.1:8000 (default: MYSTOCKS_BIND; port 0 picks a free
    /// port, printed on the first line).
    #[arg(long)]
    pub bind: Option<SocketAddr>,
}

/// Serves until a signal; prints `listening on http://ADDR` once bound.
pub async fn run(args: &ServeArgs, rt: Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    let addr = args.bind.unwrap_or(rt.config.bind);
    // One descriptor per WebSocket client: lift the soft limit (often 1,024) to the hard one.
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "open-files limit"),
        Err(e) => tracing::warn!("could not raise the open-files limit: {e}"),
    }
    let listener =
        tokio::net::TcpListener::bind(addr).await.with_context(|| format!("MYSTOCKS_BIND: cannot listen on {addr}"))?;
    let bound = listener.local_addr()?;
    let state = AppState::new(rt);
    writeln!(out, "listening on http://{bound}")?;
    out.flush()?;
    tracing::info!(%bound, mode = ?state.rt.cache.mode(), "serving");
    serve(listener, state, shutdown_signal()).await.context("serving")?;
    writeln!(out, "stopped")?;
    out.flush()?;
    Ok(())
}
