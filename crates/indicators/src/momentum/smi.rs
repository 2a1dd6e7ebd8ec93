//! SMI — Blau's stochastic momentum index (TA-Lib 0.8): the close's distance from the
//! middle of the `p`-bar high/low range and that range, each smoothed by a slow then a
//! fast EMA, `smi = 100 · num / (den / 2)`, and a signal EMA of it. Every EMA stage is
//! seeded with the SMA of its first inputs and stepped as TA-Lib's EMA; `smi` is 0
//! where the smoothed range is not positive.

use crate::math::{nan_vec, sliding_high_low, Ring};
use crate::overlap::ema::Ema;

/// Bars before the first SMI value.
pub fn smi_lookback(timeperiod: usize, fastperiod: usize, slowperiod: usize, signalperiod: usize) -> usize {
    timeperiod.saturating_sub(1)
        + slowperiod.saturating_sub(1)
        + fastperiod.saturating_sub(1)
        + signalperiod.saturating_sub(1)
}

/// `[smi, smisignal]` over `high`/`low`/`close`; NaN inside the lookback.
pub fn smi(
    high: &[f64],
    low: &[f64],
    close: &[f64],
    timeperiod: usize,
    fastperiod: usize,
    slowperiod: usize,
    signalperiod: usize,
) -> [Vec<f64>; 2] {
    let n = high.len().min(low.len()).min(close.len());
    let mut smi_out = nan_vec(n);
    let mut signal_out = nan_vec(n);
    let lb = smi_lookback(timeperiod, fastperiod, slowperiod, signalperiod);
    if timeperiod == 0 || fastperiod == 0 || slowperiod == 0 || signalperiod == 0 || n <= lb {
        return [smi_out, signal_out];
    }
    let mut stages = Stages::new(fastperiod, slowperiod, signalperiod);
    sliding_high_low(&high[..n], &low[..n], timeperiod, |today, highest, lowest| {
        if let Some((value, sig)) = stages.next(close[today], highest, lowest) {
            smi_out[today] = value;
            signal_out[today] = sig;
        }
    });
    [smi_out, signal_out]
}

/// The three EMA stages after the high/low window, shared by [`smi`] and [`Smi`].
#[derive(Debug, Clone)]
struct Stages {
    slow_num: Ema,
    slow_den: Ema,
    fast_num: Ema,
    fast_den: Ema,
    signal: Ema,
}

impl Stages {
    fn new(fastperiod: usize, slowperiod: usize, signalperiod: usize) -> Self {
        Self {
            slow_num: Ema::new(slowperiod),
            slow_den: Ema::new(slowperiod),
            fast_num: Ema::new(fastperiod),
            fast_den: Ema::new(fastperiod),
            signal: Ema::new(signalperiod),
        }
    }

    /// One bar with its window's extremes; `(smi, signal)` once every stage is seeded.
    #[inline(always)]
    fn next(&mut self, close: f64, highest: f64, lowest: f64) -> Option<(f64, f64)> {
        let den = highest - lowest;
        let num = close - (highest + lowest) * 0.5;
        let (Some(num), Some(den)) = (self.slow_num.next(num), self.slow_den.next(den)) else {
            return None;
        };
        let (Some(num), Some(den)) = (self.fast_num.next(num), self.fast_den.next(den)) else {
            return None;
        };
        let half_den = 0.5 * den;
        let value = if half_den > 0.0 { 100.0 * num / half_den } else { 0.0 };
        self.signal.next(value).map(|sig| (value, sig))
    }
}

/// Streaming SMI: one bar in, O(timeperiod) for the window extremes; the same numbers
/// as [`smi`].
#[derive(Debug, Clone)]
pub struct Smi {
    highs: Ring,
    lows: Ring,
    stages: Stages,
}

impl Smi {
    /// A fresh state; every period >= 1.
    pub fn new(timeperiod: usize, fastperiod: usize, slowperiod: usize, signalperiod: usize) -> Self {
        Self {
            highs: Ring::new(timeperiod),
            lows: Ring::new(timeperiod),
            stages: Stages::new(fastperiod, slowperiod, signalperiod),
        }
    }

    /// Takes the next bar; returns `(smi, smisignal)` from bar `lookback` on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<(f64, f64)> {
        self.highs.push(high);
        self.lows.push(low);
        if !self.highs.is_full() {
            return None;
        }
        let highest = self.highs.values().iter().copied().fold(f64::NEG_INFINITY, |a, b| if b > a { b } else { a });
        let lowest = self.lows.values().iter().copied().fold(f64::INFINITY, |a, b| if b < a { b } else { a });
        self.stages.next(close, highest, lowest)
    }
}
