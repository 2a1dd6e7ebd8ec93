//! TRIMA — triangular moving average, TA-Lib's four-adjustment form (bit-exact).
//!
//! Equal to SMA(SMA(x, ⌈p/2⌉), ⌊p/2⌋+1) but carried incrementally with a numerator and two
//! partial sums, exactly as TA-Lib updates them (odd and even periods differ in one step).

use crate::math::nan_vec;

/// Bars before the first TRIMA value.
pub fn trima_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// TRIMA over `real`; NaN inside the lookback.
pub fn trima(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if period == 0 || n < period {
        return out;
    }
    let lb = period - 1;
    let half = period >> 1;
    let odd = period % 2 == 1;
    let factor = if odd { 1.0 / ((half + 1) * (half + 1)) as f64 } else { 1.0 / (half * (half + 1)) as f64 };
    let mut trailing = 0usize;
    let mut middle = if odd { half } else { half - 1 };
    let mut today = middle + half;
    let mut numerator = 0.0;
    let mut numerator_sub = 0.0;
    for i in (trailing..=middle).rev() {
        numerator_sub += real[i];
        numerator += numerator_sub;
    }
    let mut numerator_add = 0.0;
    middle += 1;
    for &x in &real[middle..=today] {
        numerator_add += x;
        numerator += numerator_add;
    }
    let mut out_idx = lb;
    let mut temp = real[trailing];
    trailing += 1;
    out[out_idx] = numerator * factor;
    out_idx += 1;
    today += 1;
    while today < n {
        numerator -= numerator_sub;
        numerator_sub -= temp;
        temp = real[middle];
        middle += 1;
        numerator_sub += temp;
        if odd {
            numerator += numerator_add;
            numerator_add -= temp;
        } else {
            numerator_add -= temp;
            numerator += numerator_add;
        }
        temp = real[today];
        today += 1;
        numerator_add += temp;
        numerator += temp;
        temp = real[trailing];
        trailing += 1;
        out[out_idx] = numerator * factor;
        out_idx += 1;
    }
    out
}
