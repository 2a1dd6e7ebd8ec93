//! HT_TRENDLINE — Hilbert transform instantaneous trendline, TA-Lib-exact. An overlap
//! study in TA-Lib's grouping (its catalog entry is in `registry/overlap.rs`); it lives
//! here because it runs on the cycle functions' Hilbert machinery
//! (`hilbert.rs`: the dominant-cycle period and `hilbert::Trendline`).

use super::hilbert::{Front, Hilbert, Recent, Smoother, Trendline, MAX_CYCLE};
use crate::math::nan_vec;

/// Bars before the first value.
pub fn ht_trendline_lookback() -> usize {
    63
}

/// HT_TRENDLINE over `real`; NaN for the first 63 bars.
pub fn ht_trendline(real: &[f64]) -> Vec<f64> {
    let n = real.len();
    let lookback = ht_trendline_lookback();
    let mut out = nan_vec(n);
    if n <= lookback {
        return out;
    }
    let mut smoother = Smoother::new(real[0], real[1], real[2]);
    for today in 3..37 {
        smoother.step(real[today], real[today - 3]);
    }
    let mut ht = Hilbert::new();
    let mut trend = Trendline::default();
    for today in 37..n {
        let recent = &real[(today + 1).saturating_sub(MAX_CYCLE)..=today];
        trend.prepare(recent);
        let smoothed = smoother.step(real[today], real[today - 3]);
        ht.step(smoothed, today & 1 == 1);
        let line = trend.update(recent, ht.smooth_period);
        if today >= lookback {
            out[today] = line;
        }
    }
    out
}

/// Streaming HT_TRENDLINE: one price at a time, the batch's values bar for bar.
#[derive(Debug, Clone)]
pub struct HtTrendline {
    front: Front,
    ht: Hilbert,
    recent: Recent,
    trend: Trendline,
}

impl Default for HtTrendline {
    fn default() -> Self {
        Self::new()
    }
}

impl HtTrendline {
    /// A fresh state.
    pub fn new() -> Self {
        Self { front: Front::new(37), ht: Hilbert::new(), recent: Recent::new(), trend: Trendline::default() }
    }

    /// Takes the next price; returns the trendline once past the 63-bar lookback.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        let recent = self.recent.push(x);
        let (t, smoothed) = self.front.push(x)?;
        self.trend.prepare(recent);
        self.ht.step(smoothed, t & 1 == 1);
        let line = self.trend.update(recent, self.ht.smooth_period);
        (t >= ht_trendline_lookback()).then_some(line)
    }
}
