//! `mystocks`: parse the command line, set up logging, dispatch, map errors to exit codes.

use std::io::IsTerminal;
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
        .with_env_filter(
            // sqlx reports statements over a second at warn, SQL text and all: a large
            // import's bulk statements are slow by nature, not a problem to report.
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn,sqlx::query=error".into()),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, never into a log file or pipe.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`mystocks bars ... | head`) is the reader's choice, not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", message(&err));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Calc(args) => cli::calc::run(&args, &mut out),
        Command::Catalog(args) => cli::catalog::run(&args, &mut out),
        Command::Bench(args) => cli::bench::run(&args, &mut out).await,
        Command::Bars(args) => cli::bars::run(&args, open_store().await?.as_ref(), &mut out).await,
        Command::Symbols(args) => cli::symbols::run(&args, open_store().await?.as_ref(), &mut out).await,
        Command::Import(args) => cli::import::run(&args, &runtime().await?, &mut out).await,
        Command::DemoData(args) => cli::demo_data::run(&args, &runtime().await?, &mut out).await,
        Command::Daily(args) => cli::daily::run(&args, &runtime().await?, &mut out).await,
        Command::Worker(args) => cli::worker::run(&args, &runtime().await?, &mut out).await,
        Command::Jobs(args) => cli::jobs::run(&args, &runtime().await?, &mut out).await,
        Command::Cache(args) => cli::cache::run(&args, &runtime().await?, &mut out).await,
        Command::Demo(args) => cli::demo::run(&args, runtime().await?, &mut out).await,
        Command::Serve(args) => cli::serve::run(&args, runtime().await?, &mut out).await,
        Command::Debug(args) => cli::debug::run(&args, &runtime().await?, &mut out).await,
        Command::Indicator(args) => {
            let rt = runtime().await?;
            let result = cli::indicator::run(&args, &rt, &mut out).await;
            // Let the background L3 write of a fresh computation finish before exiting.
            rt.cache.flush().await;
            result
        }
    }
}

async fn runtime() -> anyhow::Result<Runtime> {
    Runtime::start(Config::from_env()?).await
}

/// The source store named by the configuration (embedded SQLite by default).
async fn open_store() -> anyhow::Result<std::sync::Arc<dyn mystocks::store::Store>> {
    let config = Config::from_env()?;
    store::open(&config.database_url)
        .await
        .with_context(|| format!("opening the store at {}", mystocks::config::redact(&config.database_url)))
}

/// The error and its causes on one line, each cause once: a cause whose text its
/// parent already spells out is not repeated.
fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
            || e.downcast_ref::<csv::Error>().is_some_and(|c| match c.kind() {
                csv::ErrorKind::Io(io) => io.kind() == std::io::ErrorKind::BrokenPipe,
                _ => false,
            })
    })
}
