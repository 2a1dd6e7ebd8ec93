//! MIDPOINT — (highest + lowest) / 2 over the window, TA-Lib-exact.
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
