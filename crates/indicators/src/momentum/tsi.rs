//! TSI — Blau's true strength index (TA-Lib 0.8): `100 · EMA₂(EMA₁(Δx)) / EMA₂(EMA₁(|Δx|))`,
//! each EMA stage seeded with the SMA of its first inputs and stepped as TA-Lib's EMA;
//! 0 where the denominator is not positive.

use crate::math::nan_vec;
use crate::overlap::ema::Ema;

/// Bars before the first TSI value: `1 + (p1 − 1) + (p2 − 1)`.
pub fn tsi_lookback(firstperiod: usize, secondperiod: usize) -> usize {
    1 + firstperiod.saturating_sub(1) + secondperiod.saturating_sub(1)
}

/// TSI over `real`; NaN inside the lookback.
pub fn tsi(real: &[f64], firstperiod: usize, secondperiod: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    let lb = tsi_lookback(firstperiod, secondperiod);
    if firstperiod == 0 || secondperiod == 0 || n <= lb {
        return out;
    }
    let (mut first_num, mut first_den) = (Ema::new(firstperiod), Ema::new(firstperiod));
    let (mut second_num, mut second_den) = (Ema::new(secondperiod), Ema::new(secondperiod));
    for today in 1..n {
        let mom = real[today] - real[today - 1];
        let (Some(num), Some(den)) = (first_num.next(mom), first_den.next(mom.abs())) else {
            continue;
        };
        let (Some(num), Some(den)) = (second_num.next(num), second_den.next(den)) else {
            continue;
        };
        out[today] = if den > 0.0 { 100.0 * num / den } else { 0.0 };
    }
    out
}
