//! The MyStocks engine: computes technical indicators for a whole market and serves them.
//!
//! # Layout
//! - [`config`]: every setting, read and validated once (SPEC section 2).
//! - [`store`]: the `Store` trait with its SQLite and PostgreSQL backends (symbols, bars,
//!   indicator values as the L3 tier, job records); all SQL lives there.
//! - [`redis_link`]: the shared connection to Redis: timeouts, reconnection, circuit breaker.
//! - [`cache`]: the tiered cache (L1 moka -> L2 Redis -> L3 store -> compute), keys and
//!   `params_hash`, invalidation across instances.
//! - [`catalog`]: the indicator catalog as data (`mystocks catalog`, and the server).
//! - [`lock`]: the lock service (tokens, fencing, watchdog), Redis and in-process backends.
//! - [`scheduler`]: Check-Lock-Check-Compute: each computation once across instances.
//! - [`bus`]: event types exactly as SPEC section 4 writes them, validated channel names,
//!   and the `Bus` trait with its Redis (Pub/Sub + Streams) and in-process backends.
//! - [`jobs`]: the daily job: coordinator, batches, task counters (in-process or Redis),
//!   events, and the distributed job's per-task Redis Stream queues and workers.
//! - [`ingest`]: writing bars, with every tier's results of the written symbols
//!   invalidated on every instance before and after the write.
//! - [`runtime`]: assembles stores, Redis link and cache from the configuration, once.
//! - [`market`]: OHLCV bar series and reading them from CSV files (plain or gzip).
//! - [`quotes`]: latest quotes: ingested, kept in the store, cached, announced.
//! - [`server`]: the HTTP API (`mystocks serve`): `app(state) -> Router`, one module
//!   per resource, one error type mapped to status codes in one place.
//! - [`demo`]: the deterministic synthetic A-share market of `mystocks demo-data`.
//! - [`format`](mod@format): number and table output shared by the commands (shortest round-trip floats).
//! - [`standard_set`]: the daily job's standard indicator set (SPEC section 8).
//! - [`bench`](mod@bench): the project's own benchmarks (`mystocks bench`).
//! - [`cli`]: one module per subcommand; `main.rs` only parses and dispatches.
//!
//! The indicator kernels live in the pure `indicators` crate. The WebSocket gateway and
//! the dashboard come next, beside the server's resources, each backend choice behind
//! one trait chosen at start-up.

pub mod bench;
pub mod bus;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod demo;
pub mod format;
pub mod ingest;
pub mod jobs;
pub mod lock;
pub mod market;
pub mod quotes;
pub mod redis_link;
pub mod runtime;
pub mod scheduler;
pub mod server;
pub mod standard_set;
pub mod store;
