//! AROON and AROONOSC — bars since the highest high / lowest low over `period + 1` bars,
//! TA-Lib-exact (ties go to the latest bar).

use crate::math::{nan_vec, WindowHighest, WindowLowest};

/// Bars before the first value.
pub fn aroon_lookback(period: usize) -> usize {
    period
}

/// `[aroondown, aroonup]`.
pub fn aroon(high: &[f64], low: &[f64], period: usize) -> [Vec<f64>; 2] {
    let n = high.len().min(low.len());
    let (mut down, mut up) = (nan_vec(high.len()), nan_vec(high.len()));
    if period == 0 || n <= period {
        return [down, up];
    }
    let factor = 100.0 / period as f64;
    let mut hi = WindowHighest::new();
    let mut lo = WindowLowest::new();
    for today in period..n {
        let trailing = today - period;
        let (_, li) = lo.update(low, trailing, today);
        let (_, hi_idx) = hi.update(high, trailing, today);
        up[today] = factor * (period - (today - hi_idx)) as f64;
        down[today] = factor * (period - (today - li)) as f64;
    }
    [down, up]
}

/// AROONOSC = aroonup − aroondown, computed as TA-Lib does: `factor · (highest index −
/// lowest index)`.
pub fn aroonosc(high: &[f64], low: &[f64], period: usize) -> Vec<f64> {
    let n = high.len().min(low.len());
    let mut out = nan_vec(high.len());
    if period == 0 || n <= period {
        return out;
    }
    let factor = 100.0 / period as f64;
    let mut hi = WindowHighest::new();
    let mut lo = WindowLowest::new();
    for today in period..n {
        let trailing = today - period;
        let (_, li) = lo.update(low, trailing, today);
        let (_, hi_idx) = hi.update(high, trailing, today);
        out[today] = factor * (hi_idx as i64 - li as i64) as f64;
    }
    out
}
