//! Technical indicators for the MyStocks engine: pure functions over price slices.
//!
//! No I/O, no async, no allocation inside the per-bar loops beyond the output vectors.
//! The service turns rows into slices and calls in here.
//!
//! # Exactness
//! Every TA-Lib indicator follows TA-Lib 0.8's order of floating-point operations (no
//! fused multiply-add, TA-Lib's seeds, its epsilon tests), so the numbers are equal to
//! TA-Lib's to the last bit; the China flavours follow MyTT's pandas formulas. Golden
//! files generated from both (`scripts/gen_goldens.py`) are checked in `cargo test`.
//!
//! # Layout
//! - [`registry`]: the catalog (codes, inputs, parameters, outputs; one file per group)
//!   and [`IndicatorSpec::compute`].
//! - [`params`]: parameter specs, validation, typed values.
//! - [`overlap`], [`momentum`], [`volume`], [`volatility`]: TA-Lib kernels, one file each,
//!   with a `*_lookback` function and, for the recursive ones, a streaming state.
//! - [`transform`]: TA-Lib's Math Transform and Price Transform functions (bar by bar);
//!   [`operators`]: its Math Operators (two-series arithmetic, window extremes and sums).
//! - [`statistic`]: TA-Lib's Statistic Functions; [`cycle`]: its Hilbert-transform Cycle
//!   Indicators; [`pattern`]: its candlestick patterns.
//! - [`china`]: KDJ, MACD_CN, BIAS, BOLL.
//! - [`error`]: the crate's error type, [`IndicatorError`].
#![deny(missing_docs)]
// The kernels follow TA-Lib's index arithmetic (`today`, `trailing`, `middle`) so that
// they can be checked line by line against it; iterator chains would hide that.
#![allow(clippy::needless_range_loop)]

pub mod china;
pub mod cycle;
pub mod error;
mod math;
pub mod momentum;
pub mod operators;
pub mod overlap;
pub mod params;
pub mod pattern;
pub mod registry;
pub mod statistic;
pub mod transform;
pub mod volatility;
pub mod volume;

pub use error::IndicatorError;
pub use overlap::ma::MaType;
pub use params::{ParamKind, ParamSpec, ParamValue, Params, RawParam};
pub use registry::{catalog, find, Bars, Field, IndicatorSpec, Reference};
