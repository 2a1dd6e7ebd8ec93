//! HT_DCPHASE — Hilbert transform dominant cycle phase, TA-Lib-exact (the machinery is
//! in `hilbert.rs`).

use super::hilbert::{sin_cos_table, Hilbert, Phase, Smoother};
use crate::math::nan_vec;

/// Bars before the first value.
pub fn ht_dcphase_lookback() -> usize {
    63
}

/// HT_DCPHASE over `real`, in degrees; NaN for the first 63 bars.
pub fn ht_dcphase(real: &[f64]) -> Vec<f64> {
    let n = real.len();
    let lookback = ht_dcphase_lookback();
    let mut out = nan_vec(n);
    if n <= lookback {
        return out;
    }
    let table = sin_cos_table();
    let mut smoother = Smoother::new(real[0], real[1], real[2]);
    for today in 3..37 {
        smoother.step(real[today], real[today - 3]);
    }
    let mut ht = Hilbert::new();
    let mut phase = Phase::new();
    for today in 37..n {
        let smoothed = smoother.step(real[today], real[today - 3]);
        ht.step(smoothed, today & 1 == 1);
        let value = phase.update(table, smoothed, ht.smooth_period);
        if today >= lookback {
            out[today] = value;
        }
    }
    out
}
