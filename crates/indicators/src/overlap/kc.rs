//! KC — Keltner channels, TA-Lib-exact (TA-Lib 0.8.1).
//!
//! middle = EMA(typical price, timeperiod), band = ATR(atrperiod)·nbdev, upper = middle +
//! band, lower = middle − band. The first value is at the later of the two lookbacks,
//! and each leg starts at its own lookback before that bar, as TA-Lib runs it: the EMA is
//! seeded on the `timeperiod` typical prices ending there, the ATR on the `atrperiod`
//! true ranges ending there.

use crate::overlap::ema::{ema, ema_lookback, Ema};
use crate::transform::price::typprice;
use crate::volatility::atr::{atr, atr_lookback, Atr};

/// Bars before the first value.
pub fn kc_lookback(period: usize, atr_period: usize) -> usize {
    ema_lookback(period).max(atr_lookback(atr_period))
}

/// KC: [upperband, middleband, lowerband].
pub fn kc(high: &[f64], low: &[f64], close: &[f64], period: usize, atr_period: usize, nbdev: f64) -> [Vec<f64>; 3] {
    let n = high.len().min(low.len()).min(close.len());
    let start = kc_lookback(period, atr_period);
    if period == 0 || atr_period == 0 || n <= start {
        return std::array::from_fn(|_| vec![f64::NAN; n]);
    }
    let e0 = start - ema_lookback(period);
    let a0 = start - atr_lookback(atr_period);
    let middle = ema(&typprice(&high[e0..n], &low[e0..n], &close[e0..n]), period);
    let range = atr(&high[a0..n], &low[a0..n], &close[a0..n], atr_period);
    let mut outs: [Vec<f64>; 3] = std::array::from_fn(|_| {
        let mut v = Vec::with_capacity(n);
        v.resize(start, f64::NAN);
        v
    });
    for (&m, &r) in middle[start - e0..].iter().zip(&range[start - a0..]) {
        let band = r * nbdev;
        outs[0].push(m + band);
        outs[1].push(m);
        outs[2].push(m - band);
    }
    outs
}

/// Streaming KC: one bar in, O(1); the same numbers as [`kc`] (each leg starts at its
/// own lookback before the first value, as there).
#[derive(Debug, Clone)]
pub struct Kc {
    ema: Ema,
    atr: Atr,
    ema_from: usize,
    atr_from: usize,
    seen: usize,
    nbdev: f64,
}

impl Kc {
    /// A fresh state (`period` >= 2, `atr_period` >= 1).
    pub fn new(period: usize, atr_period: usize, nbdev: f64) -> Self {
        let start = kc_lookback(period, atr_period);
        Self {
            ema: Ema::new(period),
            atr: Atr::new(atr_period),
            ema_from: start - ema_lookback(period),
            atr_from: start - atr_lookback(atr_period),
            seen: 0,
            nbdev,
        }
    }

    /// Takes the next bar; returns (upper, middle, lower) from the lookback on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<(f64, f64, f64)> {
        let bar = self.seen;
        self.seen += 1;
        let middle = if bar >= self.ema_from { self.ema.next((high + low + close) / 3.0) } else { None };
        let range = if bar >= self.atr_from { self.atr.next(high, low, close) } else { None };
        let (m, r) = (middle?, range?);
        let band = r * self.nbdev;
        Some((m + band, m, m - band))
    }
}
