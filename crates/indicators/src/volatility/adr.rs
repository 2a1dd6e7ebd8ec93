//! ADR — average day range, TA-Lib-exact: the SMA of `high − low`, in TA-Lib's SMA
//! running-sum order (add the new range, divide, subtract the range leaving).

use crate::math::{nan_vec, with_lookback};

/// Bars before the first value.
pub fn adr_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// ADR over high/low.
pub fn adr(high: &[f64], low: &[f64], period: usize) -> Vec<f64> {
    let n = high.len();
    let period = period.max(1);
    if n < period {
        return nan_vec(n);
    }
    let p = period as f64;
    let mut total = 0.0;
    for i in 0..period - 1 {
        total += high[i] - low[i];
    }
    let entering = high[period - 1..].iter().zip(&low[period - 1..]);
    let leaving = high.iter().zip(low);
    with_lookback(
        n,
        period - 1,
        entering.zip(leaving).map(|((&h, &l), (&th, &tl))| {
            total += h - l;
            let sum = total;
            total -= th - tl;
            sum / p
        }),
    )
}
