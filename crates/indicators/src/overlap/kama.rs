//! KAMA — Kaufman adaptive moving average, TA-Lib-exact.
//!
//! The efficiency ratio `|x[t] − x[t−p]| / Σ|Δx|` sets the smoothing constant between
//! 2/(30+1) and 2/(2+1), squared; the sum of absolute changes is carried incrementally.
//! As in TA-Lib 0.8 (and ER): once a whole window of changes is exactly zero the sum is
//! reset to 0 (dropping its rounding residue); the ratio is 1 where the sum is `<= 0` or
//! not above the signed net change, and is capped at 1.

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
        let er = if sum_roc1 <= 0.0 || sum_roc1 <= period_roc {
            1.0
        } else {
            let r = (period_roc / sum_roc1).abs();
            if r > 1.0 {
                1.0
            } else {
                r
            }
        };
        let sc = er.mul_add(const_diff, const_max);
        sc * sc
    };
    // The run of exactly-zero changes at bar t is t minus the last bar that moved.
    let mut last_move = 0usize;
    let mut sum_roc1 = 0.0;
    for i in 0..period {
        let t = real[i] - real[i + 1];
        sum_roc1 += t.abs();
        if t != 0.0 {
            last_move = i + 1;
        }
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
    // Slices zipped (bar, bar before, bar leaving): no bounds checks per bar.
    let bars = real[today..].iter().zip(&real[today - 1..n - 1]).zip(&real[trailing..n - period]);
    for (today, (((&x, &yesterday), &t2), o)) in (today..).zip(bars.zip(&mut out[today..])) {
        let period_roc = x - t2;
        let change = x - yesterday;
        sum_roc1 -= (trailing_value - t2).abs();
        sum_roc1 += change.abs();
        if change != 0.0 {
            last_move = today;
        } else if today - last_move >= period {
            sum_roc1 = 0.0;
        }
        trailing_value = t2;
        let sc = smoothing(sum_roc1, period_roc);
        prev_kama = (x - prev_kama).mul_add(sc, prev_kama);
        *o = prev_kama;
    }
    out
}
