//! TRIX — one-bar rate of change of a triple EMA, TA-Lib-exact.

use crate::math::{nan_vec, per_to_k, with_lookback};
use crate::overlap::ema::triple_ema_seed;

/// Bars before the first value.
pub fn trix_lookback(period: usize) -> usize {
    3 * period.saturating_sub(1) + 1
}

/// TRIX over `real`.
pub fn trix(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let lb = trix_lookback(period);
    if period == 0 || n <= lb {
        return nan_vec(n);
    }
    // Three chained EMAs (the same numbers as three batch EMAs), seeded through bar
    // lb − 1, then TA-Lib's ROC(1): ((x / prev) − 1) · 100, 0 when prev is 0.
    let k = per_to_k(period);
    let Some((mut v1, mut v2, mut v3)) = triple_ema_seed(real, period, k) else {
        return nan_vec(n);
    };
    let mut prev = v3;
    with_lookback(
        n,
        lb,
        real[lb..].iter().map(move |&x| {
            v1 = (x - v1).mul_add(k, v1);
            v2 = (v1 - v2).mul_add(k, v2);
            v3 = (v2 - v3).mul_add(k, v3);
            let roc = if prev != 0.0 { ((v3 / prev) - 1.0) * 100.0 } else { 0.0 };
            prev = v3;
            roc
        }),
    )
}
