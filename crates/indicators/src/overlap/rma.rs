//! RMA — Wilder's smoothed moving average (TA-Lib 0.8's `TA_RMA`), bit-exact.
//!
//! Seeded with the SMA of the first `period` values, then
//! `rma = wBeta·rma + wAlpha·x` with `wBeta = (period − 1) / period` and
//! `wAlpha = 1 − wBeta`, the accumulator product fused into one multiply-add as
//! TA-Lib's FMA build fuses it (the same step as its ATR).

use crate::math::{nan_vec, with_lookback};

/// Bars before the first RMA value.
pub fn rma_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// RMA over `real`; NaN inside the lookback. A period of 1 is the input.
pub fn rma(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    if period == 0 || n < period {
        return nan_vec(n);
    }
    if period == 1 {
        return real.to_vec();
    }
    let beta = (period - 1) as f64 / period as f64;
    let alpha = 1.0 - beta;
    let mut total = 0.0;
    for &x in &real[..period] {
        total += x;
    }
    let mut prev = total / period as f64;
    with_lookback(
        n,
        period - 1,
        std::iter::once(prev).chain(real[period..].iter().map(move |&x| {
            prev = beta.mul_add(prev, alpha * x);
            prev
        })),
    )
}

/// Streaming RMA: one value in, O(1); the same numbers as [`rma`].
#[derive(Debug, Clone)]
pub struct Rma {
    period: usize,
    alpha: f64,
    beta: f64,
    seen: usize,
    value: f64,
}

impl Rma {
    /// A fresh RMA of `period` (>= 1; 1 passes the input through).
    pub fn new(period: usize) -> Self {
        let period = period.max(1);
        let beta = (period - 1) as f64 / period as f64;
        Self { period, alpha: 1.0 - beta, beta, seen: 0, value: 0.0 }
    }

    /// Takes the next value; returns the RMA once seeded.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        if self.period == 1 {
            return Some(x);
        }
        if self.seen < self.period {
            self.value += x;
            self.seen += 1;
            if self.seen < self.period {
                return None;
            }
            self.value /= self.period as f64;
            return Some(self.value);
        }
        self.value = self.beta.mul_add(self.value, self.alpha * x);
        Some(self.value)
    }
}
