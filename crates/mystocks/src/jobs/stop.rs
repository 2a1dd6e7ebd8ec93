//! Stopping a job cleanly: a flag that Ctrl-C or SIGTERM sets and that the job checks
//! between batches, never inside one (a batch read is finished, stored and counted).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A stop request, shared by whoever may ask and whoever must stop.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    /// A flag nobody has set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A flag set by the first Ctrl-C (SIGINT) or SIGTERM from now on. Must be called
    /// inside a Tokio runtime.
    pub fn on_signals() -> Self {
        let stop = Self::new();
        let flag = stop.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("stop requested: finishing the batch in hand");
            flag.request();
        });
        stop
    }

    /// Asks to stop.
    pub fn request(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Whether stopping was asked for.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// Resolves at the first Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
