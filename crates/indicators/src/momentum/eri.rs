//! ERI — Elder ray index (TA-Lib 0.8): bull power `high − EMA(close)` and bear power
//! `low − EMA(close)`, the EMA seeded with the SMA of the first `p` closes and
//! stepped as TA-Lib's EMA is (`ema = fma(x − ema, k, ema)`).

use crate::math::{nan_vec, per_to_k};
use crate::overlap::ema::Ema;

/// Bars before the first ERI value.
pub fn eri_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// `[bullpower, bearpower]` over `high`/`low`/`close`; NaN inside the lookback.
pub fn eri(high: &[f64], low: &[f64], close: &[f64], period: usize) -> [Vec<f64>; 2] {
    let n = high.len().min(low.len()).min(close.len());
    let mut bull = nan_vec(n);
    let mut bear = nan_vec(n);
    if period == 0 || n < period {
        return [bull, bear];
    }
    if period == 1 {
        for i in 0..n {
            bull[i] = high[i] - close[i];
            bear[i] = low[i] - close[i];
        }
        return [bull, bear];
    }
    let k = per_to_k(period);
    let mut sum = 0.0;
    for &x in &close[..period] {
        sum += x;
    }
    let mut ema = sum / period as f64;
    let first = period - 1;
    bull[first] = high[first] - ema;
    bear[first] = low[first] - ema;
    for i in period..n {
        ema = (close[i] - ema).mul_add(k, ema);
        bull[i] = high[i] - ema;
        bear[i] = low[i] - ema;
    }
    [bull, bear]
}

/// Streaming ERI: one bar in, O(1); the same numbers as [`eri`].
#[derive(Debug, Clone)]
pub struct Eri {
    /// `None` for period 1, where the EMA is the close itself.
    ema: Option<Ema>,
}

impl Eri {
    /// A fresh state; `period` >= 1.
    pub fn new(period: usize) -> Self {
        Self { ema: (period > 1).then(|| Ema::new(period)) }
    }

    /// Takes the next bar; returns `(bullpower, bearpower)` once the EMA is seeded.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<(f64, f64)> {
        let ema = match &mut self.ema {
            Some(state) => state.next(close)?,
            None => close,
        };
        Some((high - ema, low - ema))
    }
}
