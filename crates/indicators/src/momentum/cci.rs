//! CCI — commodity channel index, TA-Lib-exact.
//!
//! TA-Lib re-sums the typical prices and their absolute deviations over a circular
//! buffer every bar, in buffer-slot order; that order decides the last bit, so it is
//! kept. `cci = (tp − mean) / (0.015 · (Σ|tp − mean| / p))`, 0 when either
//! `tp − mean` or the mean deviation is zero within 1e-14 of `|mean|` (TA-Lib 0.8's
//! scale-aware test, bounds inclusive).

use crate::math::{is_zero_scaled, nan_vec};

/// Bars before the first value.
pub fn cci_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// CCI over high/low/close.
pub fn cci(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let n = close.len();
    let mut out = nan_vec(n);
    if period == 0 || n < period {
        return out;
    }
    let p = period as f64;
    let lb = period - 1;
    let mut ring = vec![0.0; period];
    let mut slot = 0usize;
    for i in 0..lb {
        ring[slot] = (high[i] + low[i] + close[i]) / 3.0;
        slot += 1;
    }
    for i in lb..n {
        let last = (high[i] + low[i] + close[i]) / 3.0;
        ring[slot] = last;
        let mut average = 0.0;
        for &v in &ring {
            average += v;
        }
        average /= p;
        let mut deviation = 0.0;
        for &v in &ring {
            deviation += (v - average).abs();
        }
        let mean_deviation = deviation / p;
        let t = last - average;
        let scale = average.abs();
        out[i] = if !is_zero_scaled(t, scale) && !is_zero_scaled(mean_deviation, scale) {
            t / (0.015 * mean_deviation)
        } else {
            0.0
        };
        slot += 1;
        if slot == period {
            slot = 0;
        }
    }
    out
}
