//! ZLEMA — zero-lag exponential moving average (TA-Lib 0.8's `TA_ZLEMA`), bit-exact.
//!
//! An EMA of the de-lagged series `2·x[t] − x[t − lag]`, `lag = (period − 1) / 2`: seeded
//! with the plain mean of its first `period` values, then
//! `ema = (d − ema)·k + ema` (one fused multiply-add), `k = 2 / (period + 1)`.

use crate::math::{nan_vec, with_lookback};

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
