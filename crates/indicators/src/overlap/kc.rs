//! KC — Keltner channels, TA-Lib-exact (TA-Lib 0.8.1).
//!
//! middle = EMA(typical price, timeperiod), band = ATR(atrperiod)·nbdev, upper = middle +
//! band, lower = middle − band. The first value is at the later of the two lookbacks,
//! and each leg starts at its own lookback before that bar, as TA-Lib runs it: the EMA is
//! seeded on the `timeperiod` typical prices ending there, the ATR on the `atrperiod`
//! true ranges ending there.

use crate::math::per_to_k;
use crate::overlap::ema::{ema_lookback, Ema};
use crate::volatility::atr::{atr_lookback, true_range, Atr};

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
    // The streaming state through the first value (each leg seeded from its own start),
    // then both recursions inline: no series-long intermediate buffers.
    let mut state = Kc::new(period, atr_period, nbdev);
    let mut outs: [Vec<f64>; 3] = std::array::from_fn(|_| Vec::with_capacity(n));
    for i in 0..=start {
        let (u, m, l) = state.next(high[i], low[i], close[i]).unwrap_or((f64::NAN, f64::NAN, f64::NAN));
        outs[0].push(u);
        outs[1].push(m);
        outs[2].push(l);
    }
    let (mut middle, mut range) = (state.middle, state.range);
    let k = per_to_k(period);
    let beta = (atr_period - 1) as f64 / atr_period as f64;
    let alpha = 1.0 - beta;
    for i in start + 1..n {
        let (h, l, c) = (high[i], low[i], close[i]);
        middle = ((h + l + c) / 3.0 - middle).mul_add(k, middle);
        range = if atr_period > 1 {
            range.mul_add(beta, true_range(h, l, close[i - 1]) * alpha)
        } else {
            true_range(h, l, close[i - 1])
        };
        let band = range * nbdev;
        outs[0].push(middle + band);
        outs[1].push(middle);
        outs[2].push(middle - band);
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
    middle: f64,
    range: f64,
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
            middle: f64::NAN,
            range: f64::NAN,
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
        (self.middle, self.range) = (m, r);
        let band = r * self.nbdev;
        Some((m + band, m, m - band))
    }
}
