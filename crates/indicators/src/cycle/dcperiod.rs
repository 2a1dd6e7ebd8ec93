//! HT_DCPERIOD — Hilbert transform dominant cycle period, TA-Lib-exact (the machinery
//! is in `hilbert.rs`).

use super::hilbert::{Front, Hilbert, Smoother};
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

/// Streaming HT_DCPERIOD: one price at a time, the batch's values bar for bar.
#[derive(Debug, Clone)]
pub struct HtDcPeriod {
    front: Front,
    ht: Hilbert,
}

impl Default for HtDcPeriod {
    fn default() -> Self {
        Self::new()
    }
}

impl HtDcPeriod {
    /// A fresh state.
    pub fn new() -> Self {
        Self { front: Front::new(12), ht: Hilbert::new() }
    }

    /// Takes the next price; returns the period once past the 32-bar lookback.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        let (t, smoothed) = self.front.push(x)?;
        self.ht.step(smoothed, t & 1 == 1);
        (t >= ht_dcperiod_lookback()).then_some(self.ht.smooth_period)
    }
}
