//! HT_TRENDLINE — Hilbert transform instantaneous trendline, TA-Lib-exact. An overlap
//! study in TA-Lib's grouping (its catalog entry is in `registry/overlap.rs`); it lives
//! here because it runs on the cycle functions' Hilbert machinery
//! ([`super::hilbert`]: the dominant-cycle period and [`super::hilbert::Trendline`]).

use super::hilbert::{Hilbert, Smoother, Trendline, MAX_CYCLE};
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
