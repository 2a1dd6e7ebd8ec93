//! FRACTAL — Williams' fractal (TA-Lib 0.8): at bar `t`, the bar `rightbars` back is a
//! swing high (low) when its high (low) is strictly above (below) every other high
//! (low) of the `leftbars + rightbars + 1`-bar window ending at `t`. Outputs 100 or 0.

use crate::math::nan_vec;

/// Bars before the first FRACTAL value.
pub fn fractal_lookback(leftbars: usize, rightbars: usize) -> usize {
    leftbars + rightbars
}

/// `[swinghigh, swinglow]` over `high`/`low`: 100.0 or 0.0, NaN inside the lookback.
pub fn fractal(high: &[f64], low: &[f64], leftbars: usize, rightbars: usize) -> [Vec<f64>; 2] {
    let n = high.len().min(low.len());
    let mut swing_high = nan_vec(n);
    let mut swing_low = nan_vec(n);
    let lb = fractal_lookback(leftbars, rightbars);
    if leftbars == 0 || n <= lb {
        return [swing_high, swing_low];
    }
    for today in lb..n {
        let start = today - lb;
        let pivot = today - rightbars;
        // The oldest bar (never the pivot, as leftbars >= 1) seeds the other extremes.
        let (mut other_high, mut other_low) = (high[start], low[start]);
        for (&h, &l) in high[start + 1..pivot].iter().zip(&low[start + 1..pivot]) {
            other_high = if h > other_high { h } else { other_high };
            other_low = if l < other_low { l } else { other_low };
        }
        for (&h, &l) in high[pivot + 1..=today].iter().zip(&low[pivot + 1..=today]) {
            other_high = if h > other_high { h } else { other_high };
            other_low = if l < other_low { l } else { other_low };
        }
        swing_high[today] = if high[pivot] > other_high { 100.0 } else { 0.0 };
        swing_low[today] = if low[pivot] < other_low { 100.0 } else { 0.0 };
    }
    [swing_high, swing_low]
}
