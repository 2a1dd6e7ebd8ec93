//! AROON and AROONOSC — bars since the highest high / lowest low over `period + 1` bars,
//! TA-Lib-exact (ties go to the latest bar).

use crate::math::{nan_vec, WindowHighest, WindowLowest};

/// Bars before the first value.
pub fn aroon_lookback(period: usize) -> usize {
    period
}

/// `[aroondown, aroonup]`.
pub fn aroon(high: &[f64], low: &[f64], period: usize) -> [Vec<f64>; 2] {
    let (mut down, mut up) = (nan_vec(high.len()), nan_vec(high.len()));
    let factor = 100.0 / period as f64;
    extremes(high, low, period, |today, hi_idx, lo_idx| {
        up[today] = factor * (period - (today - hi_idx)) as f64;
        down[today] = factor * (period - (today - lo_idx)) as f64;
    });
    [down, up]
}

/// AROONOSC = aroonup − aroondown, computed as TA-Lib does: `factor · (highest index −
/// lowest index)`.
pub fn aroonosc(high: &[f64], low: &[f64], period: usize) -> Vec<f64> {
    let mut out = nan_vec(high.len());
    let factor = 100.0 / period as f64;
    extremes(high, low, period, |today, hi_idx, lo_idx| {
        out[today] = factor * (hi_idx as i64 - lo_idx as i64) as f64;
    });
    out
}

/// Calls `emit(today, highest high's index, lowest low's index)` over the `period + 1`
/// bars ending at every bar from `period` on (ties go to the latest bar).
fn extremes(high: &[f64], low: &[f64], period: usize, mut emit: impl FnMut(usize, usize, usize)) {
    let n = high.len().min(low.len());
    if period == 0 || n <= period {
        return;
    }
    let mut hi = WindowHighest::new();
    let mut lo = WindowLowest::new();
    for today in period..n {
        let trailing = today - period;
        let (_, lo_idx) = lo.update(low, trailing, today);
        let (_, hi_idx) = hi.update(high, trailing, today);
        emit(today, hi_idx, lo_idx);
    }
}
