//! WILLR — Williams' %R, TA-Lib-exact: −100 · ((highest − close) / (highest − lowest)),
//! 0 where the range is zero within 1e-14 of |highest| + |lowest| (TA-Lib 0.8's
//! scale-aware test, as in STOCH).

use crate::math::{is_zero_scaled, nan_vec, sliding_high_low};

/// Bars before the first value.
pub fn willr_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// WILLR over high/low/close.
pub fn willr(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let mut out = nan_vec(close.len());
    sliding_high_low(high, low, period, |today, h, l| {
        let range = h - l;
        out[today] =
            if !is_zero_scaled(range, h.abs() + l.abs()) { -100.0 * ((h - close[today]) / range) } else { 0.0 };
    });
    out
}
