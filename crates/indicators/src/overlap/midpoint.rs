//! MIDPOINT — (highest + lowest) / 2 over the window, TA-Lib-exact.
//!
//! TA-Lib rescans the whole window every bar; the extremes are the same values when
//! tracked incrementally, so this is O(1) amortised and the result identical.

use crate::math::{nan_vec, WindowHighest, WindowLowest};

/// Bars before the first value.
pub fn midpoint_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// MIDPOINT over `real`; NaN inside the lookback.
pub fn midpoint(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if period == 0 || n < period {
        return out;
    }
    let lb = period - 1;
    let mut hi = WindowHighest::new();
    let mut lo = WindowLowest::new();
    for today in lb..n {
        let trailing = today - lb;
        let (h, _) = hi.update(real, trailing, today);
        let (l, _) = lo.update(real, trailing, today);
        out[today] = (h + l) / 2.0;
    }
    out
}
