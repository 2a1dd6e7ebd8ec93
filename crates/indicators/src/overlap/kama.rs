//! KAMA — Kaufman adaptive moving average, TA-Lib-exact.
//!
//! The efficiency ratio `|x[t] − x[t−p]| / Σ|Δx|` sets the smoothing constant between
//! 2/(30+1) and 2/(2+1), squared; the sum of absolute changes is carried incrementally.

use crate::math::{is_zero, nan_vec};

/// Bars before the first KAMA value.
pub fn kama_lookback(period: usize) -> usize {
    period
}

/// KAMA over `real`; NaN inside the lookback.
pub fn kama(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if period == 0 || n <= period {
        return out;
    }
    let const_max = 2.0 / (30.0 + 1.0);
    let const_diff = 2.0 / (2.0 + 1.0) - const_max;
    let smoothing = |sum_roc1: f64, period_roc: f64| {
        let er = if sum_roc1 <= period_roc.abs() || is_zero(sum_roc1) { 1.0 } else { (period_roc / sum_roc1).abs() };
        let sc = er.mul_add(const_diff, const_max);
        sc * sc
    };
    let mut sum_roc1 = 0.0;
    for i in 0..period {
        let t = real[i] - real[i + 1];
        sum_roc1 += t.abs();
    }
    let mut today = period;
    let mut trailing = 0usize;
    let mut prev_kama = real[today - 1];
    let period_roc = real[today] - real[trailing];
    let mut trailing_value = real[trailing];
    trailing += 1;
    let sc = smoothing(sum_roc1, period_roc);
    prev_kama = (real[today] - prev_kama).mul_add(sc, prev_kama);
    today += 1;
    out[period] = prev_kama;
    while today < n {
        let x = real[today];
        let t2 = real[trailing];
        trailing += 1;
        let period_roc = x - t2;
        sum_roc1 -= (trailing_value - t2).abs();
        sum_roc1 += (x - real[today - 1]).abs();
        trailing_value = t2;
        let sc = smoothing(sum_roc1, period_roc);
        prev_kama = (x - prev_kama).mul_add(sc, prev_kama);
        out[today] = prev_kama;
        today += 1;
    }
    out
}
