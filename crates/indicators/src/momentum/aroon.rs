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
/// bars ending at every bar from `period` on (ties go to the latest bar). TA-Lib's
/// tracking (rescan only when the extreme slides out), over slices cut to `n` so the
/// compiler drops the bounds checks, and the per-bar update written as selects.
fn extremes(high: &[f64], low: &[f64], period: usize, mut emit: impl FnMut(usize, usize, usize)) {
    let n = high.len().min(low.len());
    if period == 0 || n <= period {
        return;
    }
    let (high, low) = (&high[..n], &low[..n]);
    // The latest index of the highest (`ge`) or lowest value of `data[from..=to]`.
    #[inline(always)]
    fn scan(data: &[f64], from: usize, to: usize, better_or_tie: impl Fn(f64, f64) -> bool) -> (usize, f64) {
        let (mut idx, mut best) = (from, data[from]);
        for (i, &x) in data[from..=to].iter().enumerate().skip(1) {
            if better_or_tie(x, best) {
                best = x;
                idx = from + i;
            }
        }
        (idx, best)
    }
    // The first window: the shared trackers' priming scan.
    let (mut hi_val, mut hi_idx) = WindowHighest::new().update(high, 0, period);
    let (mut lo_val, mut lo_idx) = WindowLowest::new().update(low, 0, period);
    emit(period, hi_idx, lo_idx);
    for (today, (&h, &l)) in (period + 1..).zip(high[period + 1..].iter().zip(&low[period + 1..])) {
        let trailing = today - period;
        if lo_idx < trailing {
            (lo_idx, lo_val) = scan(low, trailing, today, |x, b| x <= b);
        } else {
            let new = l <= lo_val;
            lo_idx = if new { today } else { lo_idx };
            lo_val = if new { l } else { lo_val };
        }
        if hi_idx < trailing {
            (hi_idx, hi_val) = scan(high, trailing, today, |x, b| x >= b);
        } else {
            let new = h >= hi_val;
            hi_idx = if new { today } else { hi_idx };
            hi_val = if new { h } else { hi_val };
        }
        emit(today, hi_idx, lo_idx);
    }
}
