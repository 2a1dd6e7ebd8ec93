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

/// Indices of the lowest and highest value of each window, in TA-Lib's output order
/// (`minidx`, `maxidx`), as f64; NaN inside the lookback.
pub fn minmax_index(real: &[f64], period: usize) -> [Vec<f64>; 2] {
    [extreme_index::<false>(real, period), extreme_index::<true>(real, period)]
}

/// Index of the highest value of each window (MAXINDEX); NaN inside the lookback.
pub fn max_index(real: &[f64], period: usize) -> Vec<f64> {
    extreme_index::<true>(real, period)
}

/// Index of the lowest value of each window (MININDEX); NaN inside the lookback.
pub fn min_index(real: &[f64], period: usize) -> Vec<f64> {
    extreme_index::<false>(real, period)
}

/// The bar of each window's highest (`HIGHEST`) or lowest value. Ties follow TA-Lib: a
/// new bar equal to the current extreme takes its place, but a rescan (after the
/// extreme leaves the window) keeps the oldest of equal values.
fn extreme_index<const HIGHEST: bool>(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    let lookback = window_lookback(period);
    if n <= lookback {
        return out;
    }
    // Strictly more extreme, and at least as extreme.
    let beats = |a: f64, b: f64| if HIGHEST { a > b } else { a < b };
    let matches = |a: f64, b: f64| if HIGHEST { a >= b } else { a <= b };
    let (mut idx, mut extreme) = (0usize, f64::NAN);
    for today in lookback..n {
        let trailing = today - lookback;
        let value = real[today];
        if today == lookback || idx < trailing {
            idx = trailing;
            extreme = real[trailing];
            for (i, &v) in real[trailing + 1..=today].iter().enumerate() {
                if beats(v, extreme) {
                    idx = trailing + 1 + i;
                    extreme = v;
                }
            }
        } else if matches(value, extreme) {
            idx = today;
            extreme = value;
        }
        out[today] = idx as f64;
    }
    out
}
