//! ERI — Elder ray index (TA-Lib 0.8): bull power `high − EMA(close)` and bear power
//! `low − EMA(close)`, the EMA seeded with the SMA of the first `p` closes and
//! stepped as TA-Lib's EMA is (`ema = fma(x − ema, k, ema)`).

use crate::math::{nan_vec, per_to_k};

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
