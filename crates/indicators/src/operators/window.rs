//! MAX, MIN, MINMAX and SUM over a sliding window of `period` bars, TA-Lib-exact.
//!
//! The extremes are exact values whatever the method, so they come from the shared
//! branch-free sliding max/min; SUM carries TA-Lib's running total (add the new value,
//! emit, subtract the value leaving the window).

use crate::math::{nan_vec, sliding_high_low};
use crate::overlap::sma::running_sum;

/// Bars before the first value of every function here.
pub fn window_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// Highest value of the window; NaN inside the lookback.
pub fn max(real: &[f64], period: usize) -> Vec<f64> {
    let mut out = nan_vec(real.len());
    sliding_high_low(real, real, period, |i, h, _| out[i] = h);
    out
}

/// Lowest value of the window; NaN inside the lookback.
pub fn min(real: &[f64], period: usize) -> Vec<f64> {
    let mut out = nan_vec(real.len());
    sliding_high_low(real, real, period, |i, _, l| out[i] = l);
    out
}

/// Lowest and highest of the window, in TA-Lib's output order (`min`, `max`).
pub fn minmax(real: &[f64], period: usize) -> [Vec<f64>; 2] {
    let (mut lo, mut hi) = (nan_vec(real.len()), nan_vec(real.len()));
    sliding_high_low(real, real, period, |i, h, l| {
        hi[i] = h;
        lo[i] = l;
    });
    [lo, hi]
}

/// Sum of the window (SMA's running total, undivided); NaN inside the lookback.
pub fn sum(real: &[f64], period: usize) -> Vec<f64> {
    running_sum(real, period, |sum| sum)
}
