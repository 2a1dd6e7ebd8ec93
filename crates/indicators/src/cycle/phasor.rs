//! HT_PHASOR — Hilbert transform phasor components (in-phase I1 and quadrature Q1),
//! TA-Lib-exact (the machinery is in `hilbert.rs`).

use super::hilbert::{Hilbert, Smoother};
use crate::math::nan_vec;

/// Bars before the first value.
pub fn ht_phasor_lookback() -> usize {
    32
}

/// HT_PHASOR over `real`: `[inphase, quadrature]`; NaN for the first 32 bars.
pub fn ht_phasor(real: &[f64]) -> [Vec<f64>; 2] {
    let n = real.len();
    let lookback = ht_phasor_lookback();
    let mut inphase = nan_vec(n);
    let mut quadrature = nan_vec(n);
    if n <= lookback {
        return [inphase, quadrature];
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
            inphase[today] = ht.i1;
            quadrature[today] = ht.q1_value;
        }
    }
    [inphase, quadrature]
}
