//! VWAP — volume-weighted average price, TA-Lib-exact: cumulative from the first bar,
//! Σ(typical price · volume) / Σ volume with the typical price `(h + l + c) / 3`. A bar
//! whose price or volume is not finite is skipped; until some volume has traded the
//! value is 0, and a zero-volume bar repeats the previous value.

/// Bars before the first value.
pub fn vwap_lookback() -> usize {
    0
}

/// VWAP over high/low/close/volume.
pub fn vwap(high: &[f64], low: &[f64], close: &[f64], volume: &[f64]) -> Vec<f64> {
    let (mut sum_pv, mut sum_v, mut value) = (0.0, 0.0, 0.0);
    (0..close.len())
        .map(|i| {
            let typical = (high[i] + low[i] + close[i]) / 3.0;
            let v = volume[i];
            let pv = typical * v;
            if typical.is_finite() && v.is_finite() {
                sum_pv += pv;
                sum_v += v;
            }
            if sum_v > 0.0 {
                value = sum_pv / sum_v;
            }
            value
        })
        .collect()
}
