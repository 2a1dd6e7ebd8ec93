//! MIDPOINT — (highest + lowest) / 2 over the window — and MIDPRICE — (highest high +
//! lowest low) / 2 — TA-Lib-exact.
//!
//! The window extremes come from a branch-free sliding max/min; they are exact values,
//! so the result is TA-Lib's to the bit.

use crate::math::{nan_vec, sliding_high_low};

/// Bars before the first value.
pub fn midpoint_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// MIDPOINT over `real`; NaN inside the lookback.
pub fn midpoint(real: &[f64], period: usize) -> Vec<f64> {
    let mut out = nan_vec(real.len());
    sliding_high_low(real, real, period, |i, h, l| out[i] = (h + l) / 2.0);
    out
}

/// MIDPRICE over `high` and `low`; NaN inside the lookback (that of MIDPOINT).
pub fn midprice(high: &[f64], low: &[f64], period: usize) -> Vec<f64> {
    let mut out = nan_vec(high.len());
    sliding_high_low(high, low, period, |i, h, l| out[i] = (h + l) / 2.0);
    out
}
