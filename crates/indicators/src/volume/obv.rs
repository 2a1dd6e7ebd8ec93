//! OBV — on-balance volume, TA-Lib-exact: starts at the first bar's volume, then adds
//! the volume on an up close and subtracts it on a down close.

/// Bars before the first value.
pub fn obv_lookback() -> usize {
    0
}

/// OBV over close/volume.
pub fn obv(close: &[f64], volume: &[f64]) -> Vec<f64> {
    let mut state = Obv::new();
    close.iter().zip(volume).map(|(&c, &v)| state.next(c, v)).collect()
}

/// Streaming OBV.
#[derive(Debug, Clone, Default)]
pub struct Obv {
    started: bool,
    prev_close: f64,
    value: f64,
}

impl Obv {
    /// A fresh state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next bar's close and volume.
    #[inline]
    pub fn next(&mut self, close: f64, volume: f64) -> f64 {
        if !self.started {
            self.started = true;
            self.prev_close = close;
            self.value = volume;
            return self.value;
        }
        if close > self.prev_close {
            self.value += volume;
        } else if close < self.prev_close {
            self.value -= volume;
        }
        self.prev_close = close;
        self.value
    }
}
