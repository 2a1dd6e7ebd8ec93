//! SMA — simple moving average, in TA-Lib's running-sum form (bit-exact).
//!
//! `out[i] = (x[i-p+1] + ... + x[i]) / p`, with the sum carried from bar to bar: add the
//! new value, divide, then subtract the value leaving the window, exactly in TA-Lib's order.

use crate::math::{nan_vec, with_lookback, Ring};

/// Bars before the first SMA value.
pub fn sma_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// SMA over `real`; NaN inside the lookback.
pub fn sma(real: &[f64], period: usize) -> Vec<f64> {
    let p = period as f64;
    running_sum(real, period, |sum| sum / p)
}

/// `finish(window sum)` for every full window, the sum carried in TA-Lib's order (add
/// the new value, use the sum, subtract the value leaving); NaN inside the lookback.
/// SMA divides it; SUM takes it as it is.
#[inline]
pub(crate) fn running_sum(real: &[f64], period: usize, finish: impl Fn(f64) -> f64) -> Vec<f64> {
    let n = real.len();
    if period == 0 || n < period {
        return nan_vec(n);
    }
    let mut total = 0.0;
    for &x in &real[..period - 1] {
        total += x;
    }
    let entering = real[period - 1..].iter().zip(&real[..n + 1 - period]);
    with_lookback(
        n,
        period - 1,
        entering.map(|(&x, &old)| {
            total += x;
            let sum = total;
            total -= old;
            finish(sum)
        }),
    )
}

/// Streaming SMA: one value in, O(1).
#[derive(Debug, Clone)]
pub struct Sma {
    period: usize,
    window: Ring,
    total: f64,
}

impl Sma {
    /// A fresh state; `period` >= 1.
    pub fn new(period: usize) -> Self {
        Self { period: period.max(1), window: Ring::new(period.max(1)), total: 0.0 }
    }

    /// Takes the next value; returns the SMA once the window is full.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        self.window.push(x);
        self.total += x;
        if !self.window.is_full() {
            return None;
        }
        let sum = self.total;
        self.total -= self.window.oldest();
        Some(sum / self.period as f64)
    }
}
