//! TSI — Blau's true strength index (TA-Lib 0.8): `100 · EMA₂(EMA₁(Δx)) / EMA₂(EMA₁(|Δx|))`,
//! each EMA stage seeded with the SMA of its first inputs and stepped as TA-Lib's EMA;
//! 0 where the denominator is not positive.

use crate::math::nan_vec;
use crate::overlap::ema::Ema;

/// Bars before the first TSI value: `1 + (p1 − 1) + (p2 − 1)`.
pub fn tsi_lookback(firstperiod: usize, secondperiod: usize) -> usize {
    1 + firstperiod.saturating_sub(1) + secondperiod.saturating_sub(1)
}

/// TSI over `real`; NaN inside the lookback.
pub fn tsi(real: &[f64], firstperiod: usize, secondperiod: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if firstperiod == 0 || secondperiod == 0 || n <= tsi_lookback(firstperiod, secondperiod) {
        return out;
    }
    let mut state = Tsi::new(firstperiod, secondperiod);
    for (o, &x) in out.iter_mut().zip(real) {
        if let Some(v) = state.next(x) {
            *o = v;
        }
    }
    out
}

/// Streaming TSI: one close in, O(1); the same numbers as [`tsi`] (which runs it).
#[derive(Debug, Clone)]
pub struct Tsi {
    prev_close: Option<f64>,
    first_num: Ema,
    first_den: Ema,
    second_num: Ema,
    second_den: Ema,
}

impl Tsi {
    /// A fresh state; both periods >= 1.
    pub fn new(firstperiod: usize, secondperiod: usize) -> Self {
        Self {
            prev_close: None,
            first_num: Ema::new(firstperiod),
            first_den: Ema::new(firstperiod),
            second_num: Ema::new(secondperiod),
            second_den: Ema::new(secondperiod),
        }
    }

    /// Takes the next close; returns the TSI once both stages are seeded.
    #[inline]
    pub fn next(&mut self, close: f64) -> Option<f64> {
        let mom = close - self.prev_close.replace(close)?;
        let (Some(num), Some(den)) = (self.first_num.next(mom), self.first_den.next(mom.abs())) else {
            return None;
        };
        let (Some(num), Some(den)) = (self.second_num.next(num), self.second_den.next(den)) else {
            return None;
        };
        Some(if den > 0.0 { 100.0 * num / den } else { 0.0 })
    }
}
