//! TRANGE, ATR and NATR — Wilder's true range and its smoothing, TA-Lib-exact.
//!
//! ATR is seeded with the SMA of the first `p` true ranges (bars 1..=p), then TA-Lib 0.8's
//! two-coefficient Wilder step `atr = fma(atr, β, tr·α)` with β = (p−1)/p, α = 1 − β.
//! NATR is ATR / close · 100.

use crate::math::{nan_vec, with_lookback};

/// True range of one bar given the previous close (TA-Lib's comparison order).
#[inline(always)]
pub(crate) fn true_range(high: f64, low: f64, prev_close: f64) -> f64 {
    let mut greatest = high - low;
    let v2 = (prev_close - high).abs();
    if v2 > greatest {
        greatest = v2;
    }
    let v3 = (prev_close - low).abs();
    if v3 > greatest {
        greatest = v3;
    }
    greatest
}

/// Bars before the first TRANGE value.
pub fn trange_lookback() -> usize {
    1
}

/// True range per bar; NaN for the first bar.
pub fn trange(high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let n = close.len();
    let mut out = nan_vec(n);
    for i in 1..n {
        out[i] = true_range(high[i], low[i], close[i - 1]);
    }
    out
}

/// Bars before the first ATR value.
pub fn atr_lookback(period: usize) -> usize {
    period
}

/// ATR over high/low/close; a period of 1 is TRANGE.
pub fn atr(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    atr_scaled(high, low, close, period, |atr, _| atr)
}

/// ATR, each value passed through `finish(atr, close)` (identity for ATR, the
/// percentage for NATR), built in one pass.
fn atr_scaled(high: &[f64], low: &[f64], close: &[f64], period: usize, finish: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    if period <= 1 {
        return trange(high, low, close);
    }
    let n = close.len().min(high.len()).min(low.len());
    if n <= period {
        return nan_vec(close.len());
    }
    // The streaming state through bar `period` (its seed), then plain registers: the
    // same expression per bar, written once into the output (no NaN pre-fill pass).
    let mut state = Atr::new(period);
    let mut seed = f64::NAN;
    for i in 0..=period {
        if let Some(atr) = state.next(high[i], low[i], close[i]) {
            seed = atr;
        }
    }
    let (beta, alpha) = (state.beta, state.alpha);
    let mut value = seed;
    let bars =
        high[period + 1..n].iter().zip(&low[period + 1..n]).zip(&close[period..n - 1]).zip(&close[period + 1..n]);
    let mut out = with_lookback(
        n,
        period,
        std::iter::once(finish(seed, close[period])).chain(bars.map(|(((&h, &l), &prev_close), &c)| {
            value = value.mul_add(beta, true_range(h, l, prev_close) * alpha);
            finish(value, c)
        })),
    );
    out.resize(close.len(), f64::NAN);
    out
}

/// Bars before the first NATR value.
pub fn natr_lookback(period: usize) -> usize {
    period
}

/// NATR = ATR / close · 100 (0 where the close is exactly zero: TA-Lib 0.8 tests
/// `close != 0`, so a tiny or negative close still divides).
pub fn natr(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    atr_scaled(high, low, close, period, |atr, c| if c != 0.0 { (atr / c) * 100.0 } else { 0.0 })
}

/// Streaming ATR (period >= 2): one bar in, O(1).
#[derive(Debug, Clone)]
pub struct Atr {
    period: usize,
    seen: usize,
    prev_close: f64,
    value: f64,
    beta: f64,
    alpha: f64,
}

impl Atr {
    /// A fresh ATR of `period`.
    pub fn new(period: usize) -> Self {
        let period = period.max(1);
        let beta = (period - 1) as f64 / period as f64;
        Self { period, seen: 0, prev_close: 0.0, value: 0.0, beta, alpha: 1.0 - beta }
    }

    /// Takes the next bar; returns the ATR from bar `period` on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<f64> {
        let seen = self.seen;
        self.seen += 1;
        let prev_close = std::mem::replace(&mut self.prev_close, close);
        if seen == 0 {
            return None;
        }
        let tr = true_range(high, low, prev_close);
        let p = self.period;
        if seen < p {
            self.value += tr;
            return None;
        }
        if seen == p {
            // TA-Lib's seed: the SMA of the first p true ranges, summed in order.
            self.value += tr;
            self.value /= p as f64;
            return Some(self.value);
        }
        self.value = self.value.mul_add(self.beta, tr * self.alpha);
        Some(self.value)
    }
}
