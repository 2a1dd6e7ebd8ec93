//! ADR — average day range, TA-Lib-exact: the SMA of `high − low`, in TA-Lib's SMA
//! running-sum order (add the new range, divide, subtract the range leaving).

use crate::math::nan_vec;

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
    let mut out = Vec::with_capacity(n);
    out.resize(period - 1, f64::NAN);
    for today in period - 1..n {
        total += high[today] - low[today];
        let sum = total;
        let t = today + 1 - period;
        total -= high[t] - low[t];
        out.push(sum / p);
    }
    out
}
