//! WILLR — Williams' %R, TA-Lib-exact: −100 · ((highest − close) / (highest − lowest)).

use crate::math::{nan_vec, WindowHighest, WindowLowest};

/// Bars before the first value.
pub fn willr_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// WILLR over high/low/close.
pub fn willr(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let n = close.len();
    let mut out = nan_vec(n);
    if period == 0 || n < period {
        return out;
    }
    let lb = period - 1;
    let mut hi = WindowHighest::new();
    let mut lo = WindowLowest::new();
    for today in lb..n {
        let trailing = today - lb;
        let (l, _) = lo.update(low, trailing, today);
        let (h, _) = hi.update(high, trailing, today);
        let range = h - l;
        out[today] = if range != 0.0 {
            -100.0 * ((h - close[today]) / range)
        } else {
            0.0
        };
    }
    out
}
