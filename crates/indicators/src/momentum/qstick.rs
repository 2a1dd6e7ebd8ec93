//! QSTICK — Chande's Qstick (TA-Lib 0.8): the SMA of the candle body `close − open`,
//! in TA-Lib's running-sum order.

use crate::math::nan_vec;

/// Bars before the first QSTICK value.
pub fn qstick_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// QSTICK over `open`/`close`; NaN inside the lookback.
pub fn qstick(open: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let n = open.len().min(close.len());
    let mut out = nan_vec(n);
    if period == 0 || n < period {
        return out;
    }
    let p = period as f64;
    let mut total = 0.0;
    for i in 0..period - 1 {
        total += close[i] - open[i];
    }
    for i in period - 1..n {
        total += close[i] - open[i];
        let sum = total;
        let t = i + 1 - period;
        total -= close[t] - open[t];
        out[i] = sum / p;
    }
    out
}
