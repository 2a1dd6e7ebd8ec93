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
    // TA-Lib counts the run of exactly-zero changes; the run at bar t is t minus the last
    // bar whose change was not zero (bar 0 has none), kept here instead of the count so
    // that the loop carries a single select rather than a chain of them.
    let mut last_move = 0usize;
    let mut sum_roc1 = 0.0;
    for i in 0..period {
        let t = real[i] - real[i + 1];
        sum_roc1 += t.abs();
        if t != 0.0 {
            last_move = i + 1;
        }
    }
    let mut trailing_value = real[0];
    out[period] = ratio(sum_roc1, real[period] - trailing_value);
    let entering = real[period..].windows(2).zip(&real[1..n - period]);
    for (((pair, &t2), o), today) in entering.zip(&mut out[period + 1..]).zip(period + 1..) {
        let x = pair[1];
        let period_roc = x - t2;
        let change = x - pair[0];
        sum_roc1 -= (trailing_value - t2).abs();
        sum_roc1 += change.abs();
        last_move = if change != 0.0 { today } else { last_move };
        if today - last_move >= period {
            sum_roc1 = 0.0;
        }
        trailing_value = t2;
        *o = ratio(sum_roc1, period_roc);
    }
    out
}
