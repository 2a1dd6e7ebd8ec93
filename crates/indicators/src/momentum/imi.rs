//! IMI — intraday momentum index, TA-Lib-exact.
//!
//! Over each window of `p` bars: up = Σ(close − open) where close > open, down =
//! Σ(open − close) elsewhere; IMI = 100 · up / (up + down), 50 where both are zero. Each
//! window is summed afresh, as TA-Lib does (a running sum would change the low bits).

use crate::math::nan_vec;

/// Bars before the first value.
pub fn imi_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// IMI over open/close.
pub fn imi(open: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let n = open.len().min(close.len());
    let mut out = nan_vec(n);
    let lb = imi_lookback(period);
    if period == 0 || n <= lb {
        return out;
    }
    for today in lb..n {
        let (mut up, mut down) = (0.0, 0.0);
        for i in today - lb..=today {
            let (c, o) = (close[i], open[i]);
            if c > o {
                up += c - o;
            } else {
                down += o - c;
            }
        }
        let total = up + down;
        out[today] = if total == 0.0 { 50.0 } else { 100.0 * (up / total) };
    }
    out
}
