//! TRIX — one-bar rate of change of a triple EMA, TA-Lib-exact.

use super::mom::roc;
use crate::math::{nan_vec, per_to_k};
use crate::overlap::ema::ema_with_k;

/// Bars before the first value.
pub fn trix_lookback(period: usize) -> usize {
    3 * period.saturating_sub(1) + 1
}

/// TRIX over `real`.
pub fn trix(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let lb = trix_lookback(period);
    let mut out = nan_vec(n);
    if period == 0 || n <= lb {
        return out;
    }
    let k = per_to_k(period);
    let s = period - 1;
    let e1 = ema_with_k(real, period, k);
    let e2 = ema_with_k(&e1[s..], period, k);
    let e3 = ema_with_k(&e2[s..], period, k);
    let r = roc(&e3[s..], 1);
    out[lb..].copy_from_slice(&r[1..]);
    out
}
