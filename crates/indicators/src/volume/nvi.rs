//! NVI and PVI — negative and positive volume indexes, TA-Lib-exact: from 1000, the
//! index moves by the close's percentage change only on bars whose volume fell (NVI)
//! or rose (PVI) from the bar before: `idx += (c − pc) / pc · idx`. A zero previous
//! close, or a step that would overflow, leaves the index unchanged.

/// Bars before the first value.
pub fn volume_index_lookback() -> usize {
    0
}

#[inline(always)]
fn volume_index(close: &[f64], volume: &[f64], moves: impl Fn(f64, f64) -> bool) -> Vec<f64> {
    let n = close.len();
    let mut out = Vec::with_capacity(n);
    if n == 0 {
        return out;
    }
    let mut value = 1000.0;
    let (mut prev_close, mut prev_volume) = (close[0], volume[0]);
    // `extend` over zipped slices: the length is known up front, no capacity check per bar.
    out.extend(close.iter().zip(volume).map(|(&c, &v)| {
        if moves(v, prev_volume) && prev_close != 0.0 {
            let mut next = value;
            next += (c - prev_close) / prev_close * next;
            if next.is_finite() {
                value = next;
            }
        }
        prev_close = c;
        prev_volume = v;
        value
    }));
    out
}

/// NVI over close/volume.
pub fn nvi(close: &[f64], volume: &[f64]) -> Vec<f64> {
    volume_index(close, volume, |v, pv| v < pv)
}

/// PVI over close/volume.
pub fn pvi(close: &[f64], volume: &[f64]) -> Vec<f64> {
    volume_index(close, volume, |v, pv| v > pv)
}

/// Streaming NVI or PVI: one bar in, O(1); the same numbers as [`nvi`] / [`pvi`].
#[derive(Debug, Clone)]
pub struct VolumeIndex {
    positive: bool,
    started: bool,
    prev_close: f64,
    prev_volume: f64,
    value: f64,
}

impl VolumeIndex {
    /// A fresh NVI (moves on falling volume).
    pub fn nvi() -> Self {
        Self { positive: false, started: false, prev_close: 0.0, prev_volume: 0.0, value: 1000.0 }
    }

    /// A fresh PVI (moves on rising volume).
    pub fn pvi() -> Self {
        Self { positive: true, ..Self::nvi() }
    }

    /// Takes the next bar's close and volume.
    #[inline]
    pub fn next(&mut self, close: f64, volume: f64) -> f64 {
        if !self.started {
            self.started = true;
            self.prev_close = close;
            self.prev_volume = volume;
        }
        let moves = if self.positive { volume > self.prev_volume } else { volume < self.prev_volume };
        if moves && self.prev_close != 0.0 {
            let mut next = self.value;
            next += (close - self.prev_close) / self.prev_close * next;
            if next.is_finite() {
                self.value = next;
            }
        }
        self.prev_close = close;
        self.prev_volume = volume;
        self.value
    }
}
