//! DONCHIAN — Donchian channels, TA-Lib-exact (TA-Lib 0.8.1: the window includes the
//! current bar): upper = highest high, lower = lowest low over the period, middle =
//! (upper + lower) / 2. The extremes are exact values from the sliding max/min.

use crate::math::sliding_high_low;

/// Bars before the first value.
pub fn donchian_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// DONCHIAN: [upperband, middleband, lowerband].
pub fn donchian(high: &[f64], low: &[f64], period: usize) -> [Vec<f64>; 3] {
    let n = high.len().min(low.len());
    let lb = donchian_lookback(period).min(n);
    let mut outs: [Vec<f64>; 3] = std::array::from_fn(|_| {
        let mut v = Vec::with_capacity(n);
        v.resize(lb, f64::NAN);
        v
    });
    sliding_high_low(&high[..n], &low[..n], period, |_, h, l| {
        outs[0].push(h);
        outs[1].push((h + l) / 2.0);
        outs[2].push(l);
    });
    for o in &mut outs {
        o.resize(n, f64::NAN);
    }
    outs
}
