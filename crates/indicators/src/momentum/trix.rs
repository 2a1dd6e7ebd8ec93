//! TRIX — one-bar rate of change of a triple EMA, TA-Lib-exact.

use crate::math::{nan_vec, per_to_k};
use crate::overlap::ema::Ema;

/// Bars before the first value.
pub fn trix_lookback(period: usize) -> usize {
    3 * period.saturating_sub(1) + 1
}

/// TRIX over `real`.
pub fn trix(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let lb = trix_lookback(period);
    let mut out = nan_vec(n);
    if period == 0 || n <= lb {
        return out;
    }
    // One pass through three chained EMA states (the same numbers as three batch EMAs)
    // and TA-Lib's ROC(1): ((x / prev) − 1) · 100, 0 when prev is 0.
    let k = per_to_k(period);
    let (mut e1, mut e2, mut e3) = (Ema::with_k(period, k), Ema::with_k(period, k), Ema::with_k(period, k));
    let mut prev: Option<f64> = None;
    for (o, &x) in out.iter_mut().zip(real) {
        let Some(v) = e1.next(x).and_then(|v| e2.next(v)).and_then(|v| e3.next(v)) else {
            continue;
        };
        if let Some(p) = prev {
            *o = if p != 0.0 { ((v / p) - 1.0) * 100.0 } else { 0.0 };
        }
        prev = Some(v);
    }
    out
}
