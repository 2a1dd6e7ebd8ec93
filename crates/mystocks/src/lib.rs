//! The MyStocks engine: computes technical indicators for a whole market and serves them.
//!
//! # Layout
//! - [`market`]: OHLCV bar series and reading them from CSV files (plain or gzip).
//! - [`format`]: number and table output shared by the commands (shortest round-trip floats).
//! - [`standard_set`]: the daily job's standard indicator set (SPEC section 8).
//! - [`bench`]: the project's own benchmarks (`mystocks bench`).
//! - [`cli`]: one module per subcommand; `main.rs` only parses and dispatches.
//!
//! The indicator kernels live in the pure `indicators` crate. Later modules (store,
//! cache, lock, bus, scheduler, jobs, server) are added beside these, one per
//! responsibility, each backend choice behind one trait chosen at start-up.

pub mod bench;
pub mod cli;
pub mod format;
pub mod market;
pub mod standard_set;
