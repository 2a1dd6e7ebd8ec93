//! VHF — vertical horizontal filter (TA-Lib 0.8): the range of the last `p` closes over
//! the sum of the last `p` absolute changes, both recomputed every bar as TA-Lib does.

use crate::math::nan_vec;

/// Bars before the first VHF value.
pub fn vhf_lookback(period: usize) -> usize {
    period
}

/// VHF over `real`; NaN inside the lookback; 0 on a flat window.
pub fn vhf(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if period == 0 || n <= period {
        return out;
    }
    for today in period..n {
        let mut highest = real[today];
        let mut lowest = highest;
        let mut prev = real[today - period];
        let mut sum_change = 0.0;
        for &x in &real[today + 1 - period..=today] {
            sum_change += (x - prev).abs();
            if x > highest {
                highest = x;
            }
            if x < lowest {
                lowest = x;
            }
            prev = x;
        }
        out[today] = if sum_change > 0.0 { (highest - lowest) / sum_change } else { 0.0 };
    }
    out
}
