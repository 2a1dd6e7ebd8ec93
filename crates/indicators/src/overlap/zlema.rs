//! ZLEMA — zero-lag exponential moving average (TA-Lib 0.8's `TA_ZLEMA`), bit-exact.
//!
//! An EMA of the de-lagged series `2·x[t] − x[t − lag]`, `lag = (period − 1) / 2`: seeded
//! with the plain mean of its first `period` values, then
//! `ema = (d − ema)·k + ema` (one fused multiply-add), `k = 2 / (period + 1)`.

use crate::math::{nan_vec, with_lookback, Ring};

/// Bars before the first ZLEMA value.
pub fn zlema_lookback(period: usize) -> usize {
    period.saturating_sub(1) / 2 + period.saturating_sub(1)
}

/// ZLEMA over `real`; NaN inside the lookback. A period of 1 is the input.
pub fn zlema(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let lookback = zlema_lookback(period);
    if period == 0 || n <= lookback {
        return nan_vec(n);
    }
    if period == 1 {
        return real.to_vec();
    }
    let lag = (period - 1) / 2;
    let k = 2.0 / ((period + 1) as f64);
    let mut total = 0.0;
    for i in 0..period {
        total += 2.0 * real[lag + i] - real[i];
    }
    let mut prev = total / period as f64;
    let rest = real[lag + period..].iter().zip(&real[period..]);
    with_lookback(
        n,
        lookback,
        std::iter::once(prev).chain(rest.map(move |(&x, &old)| {
            prev = ((2.0 * x - old) - prev).mul_add(k, prev);
            prev
        })),
    )
}

/// Streaming ZLEMA: one value in, O(1); the same numbers as [`zlema`].
#[derive(Debug, Clone)]
pub struct Zlema {
    period: usize,
    k: f64,
    recent: Ring,
    seen: usize,
    value: f64,
}

impl Zlema {
    /// A fresh ZLEMA of `period` (>= 1; 1 passes the input through).
    pub fn new(period: usize) -> Self {
        let period = period.max(1);
        Self { period, k: 2.0 / ((period + 1) as f64), recent: Ring::new((period - 1) / 2 + 1), seen: 0, value: 0.0 }
    }

    /// Takes the next value; returns the ZLEMA once seeded.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        if self.period == 1 {
            return Some(x);
        }
        self.recent.push(x);
        if !self.recent.is_full() {
            return None;
        }
        let delagged = 2.0 * x - self.recent.oldest();
        if self.seen < self.period {
            self.value += delagged;
            self.seen += 1;
            if self.seen < self.period {
                return None;
            }
            self.value /= self.period as f64;
            return Some(self.value);
        }
        self.value = (delagged - self.value).mul_add(self.k, self.value);
        Some(self.value)
    }
}
