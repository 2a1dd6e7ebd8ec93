//! DPO — detrended price oscillator (TA-Lib 0.8): the close `p/2 + 1` bars back minus
//! the `p`-bar SMA ending today, the SMA's running sum carried in TA-Lib's order.

use crate::math::nan_vec;

/// Bars before the first DPO value: `max(p − 1, p/2 + 1)`.
pub fn dpo_lookback(period: usize) -> usize {
    period.saturating_sub(1).max(period / 2 + 1)
}

/// DPO over `real`; NaN inside the lookback.
pub fn dpo(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    let lb = dpo_lookback(period);
    if period == 0 || n <= lb {
        return out;
    }
    let p = period as f64;
    let mut trailing = lb + 1 - period;
    let mut disp = lb - (period / 2 + 1);
    let mut total = 0.0;
    for &x in &real[trailing..lb] {
        total += x;
    }
    for i in lb..n {
        total += real[i];
        let sum = total;
        total -= real[trailing];
        trailing += 1;
        out[i] = real[disp] - sum / p;
        disp += 1;
    }
    out
}
