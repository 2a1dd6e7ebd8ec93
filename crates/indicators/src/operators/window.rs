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
/// (`minidx`, `maxidx`), as f64; NaN inside the lookback. Ties follow TA-Lib: a new
/// bar equal to the current extreme takes its place, but a rescan (after the extreme
/// leaves the window) keeps the oldest of equal values.
pub fn minmax_index(real: &[f64], period: usize) -> [Vec<f64>; 2] {
    let n = real.len();
    let (mut lo_out, mut hi_out) = (nan_vec(n), nan_vec(n));
    let lookback = window_lookback(period);
    if n <= lookback {
        return [lo_out, hi_out];
    }
    // `None` stands for TA-Lib's index -1: the first bar always triggers a scan.
    let (mut hi_idx, mut lo_idx): (Option<usize>, Option<usize>) = (None, None);
    let (mut highest, mut lowest) = (0.0, 0.0);
    for today in lookback..n {
        let trailing = today - lookback;
        let value = real[today];
        if !matches!(hi_idx, Some(h) if h >= trailing) {
            let mut idx = trailing;
            highest = real[trailing];
            for i in trailing + 1..=today {
                if real[i] > highest {
                    idx = i;
                    highest = real[i];
                }
            }
            hi_idx = Some(idx);
        } else if value >= highest {
            hi_idx = Some(today);
            highest = value;
        }
        if !matches!(lo_idx, Some(l) if l >= trailing) {
            let mut idx = trailing;
            lowest = real[trailing];
            for i in trailing + 1..=today {
                if real[i] < lowest {
                    idx = i;
                    lowest = real[i];
                }
            }
            lo_idx = Some(idx);
        } else if value <= lowest {
            lo_idx = Some(today);
            lowest = value;
        }
        hi_out[today] = hi_idx.map_or(f64::NAN, |i| i as f64);
        lo_out[today] = lo_idx.map_or(f64::NAN, |i| i as f64);
    }
    [lo_out, hi_out]
}
