//! DPO — detrended price oscillator (TA-Lib 0.8): the close `p/2 + 1` bars back minus
//! the `p`-bar SMA ending today, the SMA's running sum carried in TA-Lib's order.

use crate::math::{nan_vec, with_lookback};

/// Bars before the first DPO value: `max(p − 1, p/2 + 1)`.
pub fn dpo_lookback(period: usize) -> usize {
    period.saturating_sub(1).max(period / 2 + 1)
}

/// DPO over `real`; NaN inside the lookback.
pub fn dpo(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let lb = dpo_lookback(period);
    if period == 0 || n <= lb {
        return nan_vec(n);
    }
    let p = period as f64;
    let trailing = lb + 1 - period;
    let disp = lb - (period / 2 + 1);
    let mut total = 0.0;
    for &x in &real[trailing..lb] {
        total += x;
    }
    let values = real[lb..].iter().zip(&real[trailing..]).zip(&real[disp..]).map(move |((&x, &old), &shifted)| {
        total += x;
        let sum = total;
        total -= old;
        shifted - sum / p
    });
    with_lookback(n, lb, values)
}
