//! RSI — Wilder's relative strength index, TA-Lib-exact.
//!
//! TA-Lib 0.8 form: the first average gain/loss is the sum of the first `p` changes
//! times 1/p; then `avg = (avg·(p−1) + change) · (1/p)` (a multiply by the hoisted
//! reciprocal, not a divide). RSI = (gain / (gain + loss)) · 100, 0 unless the sum is > 0.

use crate::math::{nan_vec, with_lookback};

/// Bars before the first value.
pub fn rsi_lookback(period: usize) -> usize {
    period
}

/// RSI over `real`; NaN inside the lookback.
pub fn rsi(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    if period == 0 || n <= period {
        return nan_vec(n);
    }
    let recip = 1.0 / period as f64;
    let weight = (period - 1) as f64;
    let value = |gain: f64, loss: f64| {
        let total = loss + gain;
        if total > 0.0 {
            (gain / total) * 100.0
        } else {
            0.0
        }
    };
    let (mut gain, mut loss) = (0.0, 0.0);
    for w in real[..=period].windows(2) {
        let change = w[1] - w[0];
        let up = if 0.0 < change { change } else { 0.0 };
        gain += up;
        loss += up - change;
    }
    loss *= recip;
    gain *= recip;
    let first = std::iter::once(value(gain, loss));
    let rest = real[period..].windows(2).map(|w| {
        let change = w[1] - w[0];
        let up = if 0.0 < change { change } else { 0.0 };
        gain = (gain * weight + up) * recip;
        loss = ((up - change) + loss * weight) * recip;
        value(gain, loss)
    });
    with_lookback(n, period, first.chain(rest))
}

/// Streaming RSI.
#[derive(Debug, Clone)]
pub struct Rsi {
    period: usize,
    recip: f64,
    weight: f64,
    seen: usize,
    prev: f64,
    gain: f64,
    loss: f64,
}

impl Rsi {
    /// A fresh state.
    pub fn new(period: usize) -> Self {
        let period = period.max(1);
        Self {
            period,
            recip: 1.0 / period as f64,
            weight: (period - 1) as f64,
            seen: 0,
            prev: 0.0,
            gain: 0.0,
            loss: 0.0,
        }
    }

    #[inline(always)]
    fn value(&self) -> f64 {
        let total = self.loss + self.gain;
        if total > 0.0 {
            (self.gain / total) * 100.0
        } else {
            0.0
        }
    }

    /// Takes the next value.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        let seen = self.seen;
        self.seen += 1;
        let change = x - self.prev;
        self.prev = x;
        if seen == 0 {
            return None;
        }
        // Branch-free split, as TA-Lib computes it: up = max(change, 0), down = up − change.
        let up = if 0.0 < change { change } else { 0.0 };
        let down = up - change;
        if seen <= self.period {
            self.gain += up;
            self.loss += down;
            if seen < self.period {
                return None;
            }
            self.loss *= self.recip;
            self.gain *= self.recip;
            return Some(self.value());
        }
        self.gain = (self.gain * self.weight + up) * self.recip;
        self.loss = (down + self.loss * self.weight) * self.recip;
        Some(self.value())
    }
}
