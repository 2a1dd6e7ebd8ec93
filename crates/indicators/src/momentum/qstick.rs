//! QSTICK — Chande's Qstick (TA-Lib 0.8): the SMA of the candle body `close − open`,
//! in TA-Lib's running-sum order.

use crate::math::{nan_vec, with_lookback};

/// Bars before the first QSTICK value.
pub fn qstick_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// QSTICK over `open`/`close`; NaN inside the lookback.
pub fn qstick(open: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let n = open.len().min(close.len());
    if period == 0 || n < period {
        return nan_vec(n);
    }
    let p = period as f64;
    let (open, close) = (&open[..n], &close[..n]);
    let mut total = 0.0;
    for i in 0..period - 1 {
        total += close[i] - open[i];
    }
    let entering = close[period - 1..].iter().zip(&open[period - 1..]);
    let leaving = close.iter().zip(open);
    let values = entering.zip(leaving).map(move |((&c, &o), (&tc, &to))| {
        total += c - o;
        let sum = total;
        total -= tc - to;
        sum / p
    });
    with_lookback(n, period - 1, values)
}
