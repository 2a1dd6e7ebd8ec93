//! MACD — fast EMA − slow EMA, its signal EMA and the histogram, TA-Lib-exact.
//!
//! TA-Lib aligns the seed windows: the fast EMA is seeded with the SMA of the `fast`
//! bars that end where the slow EMA's seed ends (bar slow−1), not at bar 0. Periods are
//! swapped when slow < fast. Outputs start at (slow−1) + (signal−1).

use crate::math::nan_vec;
use crate::overlap::ema::Ema;

/// Bars before the first value.
pub fn macd_lookback(fast: usize, slow: usize, signal: usize) -> usize {
    let slow = slow.max(fast);
    slow.saturating_sub(1) + signal.saturating_sub(1)
}

/// `[macd, macdsignal, macdhist]`.
pub fn macd(real: &[f64], fast: usize, slow: usize, signal: usize) -> [Vec<f64>; 3] {
    let (fast, slow) = if slow < fast {
        (slow, fast)
    } else {
        (fast, slow)
    };
    let n = real.len();
    let lb = macd_lookback(fast, slow, signal);
    let (mut line, mut sig, mut hist) = (nan_vec(n), nan_vec(n), nan_vec(n));
    if fast == 0 || signal == 0 || n <= lb {
        return [line, sig, hist];
    }
    // One pass through the streaming state (bit-identical to the aligned-seed batch
    // form, see tests/streaming.rs), writing straight into the outputs.
    let mut state = Macd::new(fast, slow, signal);
    for (i, &x) in real.iter().enumerate() {
        if let Some((m, s, h)) = state.next(x) {
            line[i] = m;
            sig[i] = s;
            hist[i] = h;
        }
    }
    [line, sig, hist]
}

/// Streaming MACD: one close in, O(1); the same numbers as [`macd`].
#[derive(Debug, Clone)]
pub struct Macd {
    fast: Ema,
    slow: Ema,
    signal: Ema,
    fast_skip: usize,
    seen: usize,
}

impl Macd {
    /// A fresh state (periods swapped if slow < fast, as TA-Lib does).
    pub fn new(fast: usize, slow: usize, signal: usize) -> Self {
        let (fast, slow) = if slow < fast {
            (slow, fast)
        } else {
            (fast, slow)
        };
        Self {
            fast: Ema::new(fast),
            slow: Ema::new(slow),
            signal: Ema::new(signal),
            fast_skip: slow - fast,
            seen: 0,
        }
    }

    /// Takes the next close; returns `(macd, signal, hist)` once all three are seeded.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<(f64, f64, f64)> {
        self.seen += 1;
        let slow = self.slow.next(x);
        if self.seen <= self.fast_skip {
            return None;
        }
        let fast = self.fast.next(x);
        let dif = fast? - slow?;
        let s = self.signal.next(dif)?;
        Some((dif, s, dif - s))
    }
}
