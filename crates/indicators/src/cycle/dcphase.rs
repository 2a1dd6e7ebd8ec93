//! HT_DCPHASE — Hilbert transform dominant cycle phase, TA-Lib-exact (the machinery is
//! in `hilbert.rs`).

use super::hilbert::{sin_cos_table, Front, Hilbert, Phase, SinCosTable, Smoother};
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

/// Streaming HT_DCPHASE: one price at a time, the batch's values bar for bar.
#[derive(Debug, Clone)]
pub struct HtDcPhase {
    front: Front,
    ht: Hilbert,
    phase: Phase,
    table: &'static SinCosTable,
}

impl Default for HtDcPhase {
    fn default() -> Self {
        Self::new()
    }
}

impl HtDcPhase {
    /// A fresh state.
    pub fn new() -> Self {
        Self { front: Front::new(37), ht: Hilbert::new(), phase: Phase::new(), table: sin_cos_table() }
    }

    /// Takes the next price; returns the phase (degrees) once past the 63-bar lookback.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        let (t, smoothed) = self.front.push(x)?;
        self.ht.step(smoothed, t & 1 == 1);
        let value = self.phase.update(self.table, smoothed, self.ht.smooth_period);
        (t >= ht_dcphase_lookback()).then_some(value)
    }
}
