//! PVT — price volume trend, TA-Lib-exact: from 0, adds `(c − pc) / pc · v` each bar
//! (nothing when the previous close is exactly 0).

/// Bars before the first value.
pub fn pvt_lookback() -> usize {
    0
}

/// PVT over close/volume.
pub fn pvt(close: &[f64], volume: &[f64]) -> Vec<f64> {
    let mut value = 0.0;
    let mut prev_close = close.first().copied().unwrap_or(0.0);
    close
        .iter()
        .zip(volume)
        .map(|(&c, &v)| {
            if prev_close != 0.0 {
                value += (c - prev_close) / prev_close * v;
            }
            prev_close = c;
            value
        })
        .collect()
}

/// Streaming PVT: one bar in, O(1); the same numbers as [`pvt`].
#[derive(Debug, Clone, Default)]
pub struct Pvt {
    started: bool,
    prev_close: f64,
    value: f64,
}

impl Pvt {
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
        }
        if self.prev_close != 0.0 {
            self.value += (close - self.prev_close) / self.prev_close * volume;
        }
        self.prev_close = close;
        self.value
    }
}
