//! Volatility: true range, average true range, standard deviation.

pub mod atr;
pub mod stddev;
