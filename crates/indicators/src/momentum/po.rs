//! APO and PPO — absolute and percentage price oscillators, TA-Lib-exact.
//!
//! APO = fast MA − slow MA; PPO = (fast MA − slow MA) / slow MA · 100, 0 where the slow
//! MA is zero within TA-Lib's epsilon. Both MAs are of the given type and run over the
//! whole input (each from its own lookback); periods are swapped when slow < fast.

use super::stoch::StreamMa;
use crate::math::{is_zero, nan_vec};
use crate::overlap::ma::{ma, ma_lookback, MaType};

/// Bars before the first APO / PPO value.
pub fn po_lookback(fast: usize, slow: usize, matype: MaType) -> usize {
    ma_lookback(fast.max(slow), matype)
}

#[inline(always)]
fn percent(f: f64, s: f64) -> f64 {
    if !is_zero(s) {
        ((f - s) / s) * 100.0
    } else {
        0.0
    }
}

/// APO over `real`.
pub fn apo(real: &[f64], fast: usize, slow: usize, matype: MaType) -> Vec<f64> {
    oscillator(real, fast, slow, matype, |f, s| f - s)
}

/// PPO over `real`.
pub fn ppo(real: &[f64], fast: usize, slow: usize, matype: MaType) -> Vec<f64> {
    oscillator(real, fast, slow, matype, percent)
}

#[inline]
fn oscillator(real: &[f64], fast: usize, slow: usize, matype: MaType, combine: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
    let n = real.len();
    let lb = po_lookback(fast, slow, matype);
    if fast == 0 || n <= lb {
        return nan_vec(n);
    }
    let fast_line = ma(real, fast, matype);
    let mut out = ma(real, slow, matype);
    for (o, &f) in out[lb..].iter_mut().zip(&fast_line[lb..]) {
        *o = combine(f, *o);
    }
    out
}

/// Streaming APO or PPO (SMA or EMA smoothing): one close in, O(1).
#[derive(Debug, Clone)]
pub struct PriceOscillator {
    fast: StreamMa,
    slow: StreamMa,
    percent: bool,
}

impl PriceOscillator {
    /// A fresh APO state; `None` for a type other than SMA or EMA.
    pub fn apo(fast: usize, slow: usize, matype: MaType) -> Option<Self> {
        Self::new(fast, slow, matype, false)
    }

    /// A fresh PPO state; `None` for a type other than SMA or EMA.
    pub fn ppo(fast: usize, slow: usize, matype: MaType) -> Option<Self> {
        Self::new(fast, slow, matype, true)
    }

    fn new(fast: usize, slow: usize, matype: MaType, percent: bool) -> Option<Self> {
        let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
        Some(Self { fast: StreamMa::new(fast, matype)?, slow: StreamMa::new(slow, matype)?, percent })
    }

    /// Takes the next close; returns the oscillator once the slow MA is seeded.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        let f = self.fast.next(x);
        let s = self.slow.next(x)?;
        let f = f?;
        Some(if self.percent { percent(f, s) } else { f - s })
    }
}
