//! KAMA — Kaufman adaptive moving average, TA-Lib-exact.
//!
//! The efficiency ratio `|x[t] − x[t−p]| / Σ|Δx|` sets the smoothing constant between
//! 2/(30+1) and 2/(2+1), squared; the sum of absolute changes is carried incrementally
//! (and set to exactly zero once `period` flat bars have gone by, as TA-Lib 0.8 does).
//! A zero (or negative residue) sum, or one at most the net change (up or down),
//! gives ratio 1: the ratio never exceeds 1 by a rounding.

use crate::math::nan_vec;

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
        let er = if sum_roc1 <= 0.0 || sum_roc1 <= period_roc.abs() { 1.0 } else { (period_roc / sum_roc1).abs() };
        let sc = er.mul_add(const_diff, const_max);
        sc * sc
    };
    let mut sum_roc1 = 0.0;
    // Consecutive one-bar changes of exactly zero: once a whole window of them has
    // gone by the sum is known to be zero, and TA-Lib 0.8 drops its rounding residue.
    let mut null_run = 0;
    for i in 0..period {
        let t = real[i] - real[i + 1];
        sum_roc1 += t.abs();
        null_run = if t == 0.0 { null_run + 1 } else { 0 };
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
        let change = x - real[today - 1];
        sum_roc1 += change.abs();
        null_run = if change == 0.0 { null_run + 1 } else { 0 };
        if null_run >= period {
            null_run = period;
            sum_roc1 = 0.0;
        }
        trailing_value = t2;
        let sc = smoothing(sum_roc1, period_roc);
        prev_kama = (x - prev_kama).mul_add(sc, prev_kama);
        out[today] = prev_kama;
        today += 1;
    }
    out
}
