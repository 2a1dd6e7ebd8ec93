//! ER — Kaufman's efficiency ratio (TA-Lib 0.8): `|x[t] − x[t−p]| / Σ|Δx|` over the
//! last `p` changes, the path sum carried incrementally (subtract, then add). The ratio
//! is 1 where the path sum is not positive or not above the signed net change, and is
//! capped at 1 (rounding can push it a few ULP over on declines); once a
//! whole window of changes is exactly zero the path sum is reset to 0, as in TA-Lib.

use crate::math::nan_vec;

/// Bars before the first ER value.
pub fn er_lookback(period: usize) -> usize {
    period
}

#[inline(always)]
fn ratio(sum_roc1: f64, period_roc: f64) -> f64 {
    if sum_roc1 <= 0.0 || sum_roc1 <= period_roc {
        1.0
    } else {
        let r = (period_roc / sum_roc1).abs();
        if r > 1.0 {
            1.0
        } else {
            r
        }
    }
}

/// ER over `real`; NaN inside the lookback.
pub fn er(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if period == 0 || n <= period {
        return out;
    }
    let mut sum_roc1 = 0.0;
    let mut null_run = 0usize;
    for i in 0..period {
        let t = real[i] - real[i + 1];
        sum_roc1 += t.abs();
        null_run = if t == 0.0 { null_run + 1 } else { 0 };
    }
    let mut trailing_value = real[0];
    out[period] = ratio(sum_roc1, real[period] - trailing_value);
    for today in period + 1..n {
        let x = real[today];
        let t2 = real[today - period];
        let period_roc = x - t2;
        let change = x - real[today - 1];
        sum_roc1 -= (trailing_value - t2).abs();
        sum_roc1 += change.abs();
        null_run = if change == 0.0 { null_run + 1 } else { 0 };
        if null_run >= period {
            null_run = period;
            sum_roc1 = 0.0;
        }
        trailing_value = t2;
        out[today] = ratio(sum_roc1, period_roc);
    }
    out
}
