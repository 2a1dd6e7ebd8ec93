//! HT_PHASOR — Hilbert transform phasor components (in-phase I1 and quadrature Q1),
//! TA-Lib-exact (the machinery is in `hilbert.rs`).

use super::hilbert::{Front, Hilbert, Smoother};
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

/// Streaming HT_PHASOR: one price at a time, the batch's values bar for bar.
#[derive(Debug, Clone)]
pub struct HtPhasor {
    front: Front,
    ht: Hilbert,
}

impl Default for HtPhasor {
    fn default() -> Self {
        Self::new()
    }
}

impl HtPhasor {
    /// A fresh state.
    pub fn new() -> Self {
        Self { front: Front::new(12), ht: Hilbert::new() }
    }

    /// Takes the next price; returns `(inphase, quadrature)` once past the 32-bar
    /// lookback.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<(f64, f64)> {
        let (t, smoothed) = self.front.push(x)?;
        self.ht.step(smoothed, t & 1 == 1);
        (t >= ht_phasor_lookback()).then_some((self.ht.i1, self.ht.q1_value))
    }
}
