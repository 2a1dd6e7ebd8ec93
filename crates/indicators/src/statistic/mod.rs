//! TA-Lib's Statistic Functions: regressions, correlation, beta, percentiles.

pub mod beta;
pub mod correl;
pub mod percentile;
pub mod regression;
