//! `mystocks`: parse the command line, set up logging, dispatch, map errors to exit codes.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use mystocks::cli::{self, Cli, Command};
use mystocks::config::Config;
use mystocks::runtime::Runtime;
use mystocks::store;

// mimalloc keeps freed pages for reuse: indicator kernels allocate and drop many large
// output vectors, and the system allocator returns each to the OS (munmap), so every
// computation would page-fault its memory in again.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`mystocks calc ... | head`) is the reader's choice, not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut out = std::io::stdout();
    match cli.command {
        Command::Calc(args) => cli::calc::run(&args, &mut out),
        Command::Bench(args) => cli::bench::run(&args, &mut out).await,
        Command::Import(args) => cli::import::run(&args, open_store().await?.as_ref(), &mut out).await,
        Command::DemoData(args) => cli::demo_data::run(&args, open_store().await?.as_ref(), &mut out).await,
        Command::Bars(args) => cli::bars::run(&args, open_store().await?.as_ref(), &mut out).await,
        Command::Daily(args) => {
            let rt = Runtime::start(Config::from_env()?).await?;
            cli::daily::run(&args, &rt, &mut out).await
        }
        Command::Worker(args) => {
            let rt = Runtime::start(Config::from_env()?).await?;
            cli::worker::run(&args, &rt, &mut out).await
        }
        Command::Debug(args) => {
            let rt = Runtime::start(Config::from_env()?).await?;
            cli::debug::run(&args, &rt, &mut out).await
        }
        Command::Indicator(args) => {
            let rt = Runtime::start(Config::from_env()?).await?;
            let result = cli::indicator::run(&args, &rt, &mut out).await;
            // Let the background L3 write of a fresh computation finish before exiting.
            rt.cache.flush().await;
            result
        }
    }
}

/// The source store named by the configuration (embedded SQLite by default).
async fn open_store() -> anyhow::Result<std::sync::Arc<dyn mystocks::store::Store>> {
    let config = Config::from_env()?;
    store::open(&config.database_url).await.with_context(|| format!("opening the store at {}", config.database_url))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
