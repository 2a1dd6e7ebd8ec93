//! MOM and the ROC family (ROC, ROCP, ROCR, ROCR100) — change over `period` bars,
//! TA-Lib-exact.

use crate::math::nan_vec;

/// Bars before the first value (both).
pub fn mom_lookback(period: usize) -> usize {
    period
}

/// MOM = `x[t] − x[t−p]`.
pub fn mom(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    if n <= period {
        return nan_vec(n);
    }
    let mut out = Vec::with_capacity(n);
    out.resize(period, f64::NAN);
    out.extend(real[period..].iter().zip(real).map(|(&x, &old)| x - old));
    out
}

/// ROC = `(x[t] / x[t−p] − 1) · 100`, 0 where `x[t−p]` is zero.
pub fn roc(real: &[f64], period: usize) -> Vec<f64> {
    ratio(real, period, |x, old| ((x / old) - 1.0) * 100.0)
}

/// ROCP = `(x[t] − x[t−p]) / x[t−p]`, 0 where `x[t−p]` is zero.
pub fn rocp(real: &[f64], period: usize) -> Vec<f64> {
    ratio(real, period, |x, old| (x - old) / old)
}

/// ROCR = `x[t] / x[t−p]`, 0 where `x[t−p]` is zero.
pub fn rocr(real: &[f64], period: usize) -> Vec<f64> {
    ratio(real, period, |x, old| x / old)
}

/// ROCR100 = `(x[t] / x[t−p]) · 100`, 0 where `x[t−p]` is zero.
pub fn rocr100(real: &[f64], period: usize) -> Vec<f64> {
    ratio(real, period, |x, old| (x / old) * 100.0)
}

/// `f(x[t], x[t−p])` from bar `p` on, 0 where `x[t−p]` is zero (TA-Lib's guard).
fn ratio(real: &[f64], period: usize, f: fn(f64, f64) -> f64) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if n <= period {
        return out;
    }
    for ((o, &x), &old) in out[period..].iter_mut().zip(&real[period..]).zip(real) {
        *o = if old != 0.0 { f(x, old) } else { 0.0 };
    }
    out
}
