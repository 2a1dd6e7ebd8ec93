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
    // and TA-Lib's ROC(1): ((x / prev) − 1) · 100, 0 when prev is 0. The states seed
    // themselves through the warm-up (bar `lb − 1` gives the first triple EMA); from
    // there on, plain registers without the seeding checks.
    let k = per_to_k(period);
    let (mut e1, mut e2, mut e3) = (Ema::with_k(period, k), Ema::with_k(period, k), Ema::with_k(period, k));
    let (mut v1, mut v2, mut v3) = (0.0, 0.0, 0.0);
    for &x in &real[..lb] {
        if let Some(a) = e1.next(x) {
            v1 = a;
            if let Some(b) = e2.next(a) {
                v2 = b;
                if let Some(c) = e3.next(b) {
                    v3 = c;
                }
            }
        }
    }
    let mut prev = v3;
    for (o, &x) in out[lb..].iter_mut().zip(&real[lb..]) {
        v1 = (x - v1).mul_add(k, v1);
        v2 = (v1 - v2).mul_add(k, v2);
        v3 = (v2 - v3).mul_add(k, v3);
        *o = if prev != 0.0 { ((v3 / prev) - 1.0) * 100.0 } else { 0.0 };
        prev = v3;
    }
    out
}
