//! SUPERTREND — TA-Lib-exact (TA-Lib 0.8.1).
//!
//! ATR(period) as TA_ATR computes it; each bar the basic bands are median ± multiplier·ATR
//! (median = (high + low)/2). The final upper band takes the basic one when that is
//! lower or the previous close was above the final upper band; the final lower band
//! likewise the other way. The trend starts up on the first bar; it turns down on a close
//! below the final lower band and up on a close above the final upper band. Outputs: the
//! band on the trend's side (lower in an uptrend) and the trend (1 or −1).

use crate::volatility::atr::{atr_lookback, true_range, Atr};

/// Bars before the first value.
pub fn supertrend_lookback(period: usize) -> usize {
    atr_lookback(period)
}

/// SUPERTREND: [supertrend, trend].
pub fn supertrend(high: &[f64], low: &[f64], close: &[f64], period: usize, multiplier: f64) -> [Vec<f64>; 2] {
    let n = high.len().min(low.len()).min(close.len());
    let start = supertrend_lookback(period);
    if period == 0 || n <= start {
        return std::array::from_fn(|_| vec![f64::NAN; n]);
    }
    // TA_ATR's seed through bar `start` (the streaming state), then its Wilder step
    // inline with the ratchet: no series-long ATR buffer.
    let mut seed = Atr::new(period);
    let mut atr = f64::NAN;
    for i in 0..=start {
        atr = seed.next(high[i], low[i], close[i]).unwrap_or(f64::NAN);
    }
    let beta = (period - 1) as f64 / period as f64;
    let alpha = 1.0 - beta;
    let mut line = Vec::with_capacity(n);
    let mut trend = Vec::with_capacity(n);
    line.resize(start, f64::NAN);
    trend.resize(start, f64::NAN);
    let (mut ratchet, (v, t)) = Ratchet::first(high[start], low[start], close[start], atr, multiplier);
    line.push(v);
    trend.push(t);
    for today in start + 1..n {
        atr = atr.mul_add(beta, true_range(high[today], low[today], close[today - 1]) * alpha);
        let (v, t) = ratchet.next(high[today], low[today], close[today], atr, multiplier);
        line.push(v);
        trend.push(t);
    }
    [line, trend]
}

/// The ratchet of the bands and the trend, bar by bar (shared by the batch and the
/// streaming state).
#[derive(Debug, Clone, Copy)]
struct Ratchet {
    final_upper: f64,
    final_lower: f64,
    up: bool,
    prev_close: f64,
}

impl Ratchet {
    /// The first bar: both bands unclamped, the trend up.
    fn first(high: f64, low: f64, close: f64, atr: f64, multiplier: f64) -> (Self, (f64, f64)) {
        let median = (high + low) * 0.5;
        let band = multiplier * atr;
        let r = Ratchet { final_upper: median + band, final_lower: median - band, up: true, prev_close: close };
        (r, (r.final_lower, 1.0))
    }

    /// A later bar: (supertrend, trend).
    #[inline(always)]
    fn next(&mut self, high: f64, low: f64, close: f64, atr: f64, multiplier: f64) -> (f64, f64) {
        let median = (high + low) * 0.5;
        let band = multiplier * atr;
        let basic_upper = median + band;
        let basic_lower = median - band;
        if basic_upper < self.final_upper || self.prev_close > self.final_upper {
            self.final_upper = basic_upper;
        }
        if basic_lower > self.final_lower || self.prev_close < self.final_lower {
            self.final_lower = basic_lower;
        }
        if self.up {
            if close < self.final_lower {
                self.up = false;
            }
        } else if close > self.final_upper {
            self.up = true;
        }
        self.prev_close = close;
        if self.up {
            (self.final_lower, 1.0)
        } else {
            (self.final_upper, -1.0)
        }
    }
}

/// Streaming SUPERTREND: one bar in, O(1); the same numbers as [`supertrend`].
#[derive(Debug, Clone)]
pub struct Supertrend {
    atr: Atr,
    multiplier: f64,
    ratchet: Option<Ratchet>,
}

impl Supertrend {
    /// A fresh state (`period` >= 2).
    pub fn new(period: usize, multiplier: f64) -> Self {
        Self { atr: Atr::new(period), multiplier, ratchet: None }
    }

    /// Takes the next bar; returns (supertrend, trend) once the ATR is seeded.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<(f64, f64)> {
        let atr = self.atr.next(high, low, close)?;
        Some(match &mut self.ratchet {
            Some(r) => r.next(high, low, close, atr, self.multiplier),
            None => {
                let (r, out) = Ratchet::first(high, low, close, atr, self.multiplier);
                self.ratchet = Some(r);
                out
            }
        })
    }
}
