//! HT_DCPERIOD — Hilbert transform dominant cycle period, TA-Lib-exact (the machinery
//! is in [`super::hilbert`]).

use super::hilbert::{Hilbert, Smoother};
use crate::math::nan_vec;

/// Bars before the first value.
pub fn ht_dcperiod_lookback() -> usize {
    32
}

/// HT_DCPERIOD over `real`; NaN for the first 32 bars.
pub fn ht_dcperiod(real: &[f64]) -> Vec<f64> {
    let n = real.len();
    let lookback = ht_dcperiod_lookback();
    let mut out = nan_vec(n);
    if n <= lookback {
        return out;
    }
    let mut smoother = Smoother::new(real[0], real[1], real[2]);
    for today in 3..12 {
        smoother.step(real[today], real[today - 3]);
    }
    let mut ht = Hilbert::new();
    for today in 12..n {
        let smoothed = smoother.step(real[today], real[today - 3]);
        ht.step(smoothed, today & 1 == 1);
        if today >= lookback {
            out[today] = ht.smooth_period;
        }
    }
    out
}
