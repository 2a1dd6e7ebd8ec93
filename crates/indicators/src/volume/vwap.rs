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

/// Streaming VWAP: one bar in, O(1); the same numbers as [`vwap`].
#[derive(Debug, Clone, Default)]
pub struct Vwap {
    sum_pv: f64,
    sum_v: f64,
    value: f64,
}

impl Vwap {
    /// A fresh state (anchored at the first bar it is given).
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next bar.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64, volume: f64) -> f64 {
        let typical = (high + low + close) / 3.0;
        let pv = typical * volume;
        if typical.is_finite() && volume.is_finite() {
            self.sum_pv += pv;
            self.sum_v += volume;
        }
        if self.sum_v > 0.0 {
            self.value = self.sum_pv / self.sum_v;
        }
        self.value
    }
}
