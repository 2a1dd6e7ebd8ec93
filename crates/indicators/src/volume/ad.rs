//! AD — Chaikin accumulation/distribution line, TA-Lib-exact:
//! `ad += ((close − low) − (high − close)) / (high − low) · volume` when high > low.

/// Bars before the first value.
pub fn ad_lookback() -> usize {
    0
}

/// AD over high/low/close/volume.
pub fn ad(high: &[f64], low: &[f64], close: &[f64], volume: &[f64]) -> Vec<f64> {
    let mut state = Ad::new();
    (0..close.len()).map(|i| state.next(high[i], low[i], close[i], volume[i])).collect()
}

/// Streaming AD.
#[derive(Debug, Clone, Default)]
pub struct Ad {
    value: f64,
}

impl Ad {
    /// A fresh state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next bar.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64, volume: f64) -> f64 {
        let range = high - low;
        if range > 0.0 {
            self.value += (((close - low) - (high - close)) / range) * volume;
        }
        self.value
    }
}
