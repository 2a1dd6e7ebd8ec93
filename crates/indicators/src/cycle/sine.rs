//! HT_SINE — Hilbert transform sine wave and lead sine (the sine of the dominant-cycle
//! phase and of the phase 45° ahead), TA-Lib-exact (the machinery is in
//! `hilbert.rs`).

use super::hilbert::{sin_cos_table, Front, Hilbert, Phase, SinCosTable, Smoother, DEG2RAD};
use crate::math::nan_vec;

/// Bars before the first value.
pub fn ht_sine_lookback() -> usize {
    63
}

/// HT_SINE over `real`: `[sine, leadsine]`; NaN for the first 63 bars.
pub fn ht_sine(real: &[f64]) -> [Vec<f64>; 2] {
    let n = real.len();
    let lookback = ht_sine_lookback();
    let mut sine = nan_vec(n);
    let mut lead = nan_vec(n);
    if n <= lookback {
        return [sine, lead];
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
        let degrees = phase.update(table, smoothed, ht.smooth_period);
        if today >= lookback {
            sine[today] = (degrees * DEG2RAD).sin();
            lead[today] = ((degrees + 45.0) * DEG2RAD).sin();
        }
    }
    [sine, lead]
}

/// Streaming HT_SINE: one price at a time, the batch's values bar for bar.
#[derive(Debug, Clone)]
pub struct HtSine {
    front: Front,
    ht: Hilbert,
    phase: Phase,
    table: &'static SinCosTable,
}

impl Default for HtSine {
    fn default() -> Self {
        Self::new()
    }
}

impl HtSine {
    /// A fresh state.
    pub fn new() -> Self {
        Self { front: Front::new(37), ht: Hilbert::new(), phase: Phase::new(), table: sin_cos_table() }
    }

    /// Takes the next price; returns `(sine, leadsine)` once past the 63-bar lookback.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<(f64, f64)> {
        let (t, smoothed) = self.front.push(x)?;
        self.ht.step(smoothed, t & 1 == 1);
        let degrees = self.phase.update(self.table, smoothed, self.ht.smooth_period);
        (t >= ht_sine_lookback()).then(|| ((degrees * DEG2RAD).sin(), ((degrees + 45.0) * DEG2RAD).sin()))
    }
}
