//! VORTEX — Botes & Siepman's vortex indicator (TA-Lib 0.8): window sums of
//! `|H − L[−1]|` and `|L − H[−1]|` over the window sum of the true range, the sums
//! carried incrementally (add today's terms, use, retire the trailing bar's). Once a whole
//! window of true ranges is exactly zero the true-range sum is reset to 0, as in TA-Lib.

use crate::math::nan_vec;
use crate::volatility::atr::true_range;

/// Bars before the first VORTEX value.
pub fn vortex_lookback(period: usize) -> usize {
    period
}

/// `[plusvi, minusvi]` over `high`/`low`/`close`; NaN inside the lookback, 0 where the
/// true-range sum is not positive.
pub fn vortex(high: &[f64], low: &[f64], close: &[f64], period: usize) -> [Vec<f64>; 2] {
    let n = high.len().min(low.len()).min(close.len());
    let mut plus = nan_vec(n);
    let mut minus = nan_vec(n);
    if period == 0 || n <= period {
        return [plus, minus];
    }
    let terms = |i: usize| {
        [true_range(high[i], low[i], close[i - 1]), (high[i] - low[i - 1]).abs(), (low[i] - high[i - 1]).abs()]
    };
    // The terms of the last `period` bars, bar `b` at `b % period`: the trailing bar's
    // terms are read back rather than recomputed (the same values TA-Lib recomputes).
    let mut ring = vec![[0.0f64; 3]; period];
    let (mut s_tr, mut s_vmp, mut s_vmm) = (0.0, 0.0, 0.0);
    let mut null_run = 0usize;
    for i in 1..period {
        let t = terms(i);
        ring[i] = t;
        s_tr += t[0];
        s_vmp += t[1];
        s_vmm += t[2];
        null_run = if t[0] == 0.0 { null_run + 1 } else { 0 };
    }
    let mut slot = 0;
    let bars = high[period..n].iter().zip(&low[period..n]);
    let prev = high[period - 1..n - 1].iter().zip(&low[period - 1..n - 1]).zip(&close[period - 1..n - 1]);
    let outs = plus[period..].iter_mut().zip(&mut minus[period..]);
    for (((&h, &l), ((&ph, &pl), &pc)), (p_out, m_out)) in bars.zip(prev).zip(outs) {
        let t = [true_range(h, l, pc), (h - pl).abs(), (l - ph).abs()];
        ring[slot] = t;
        slot += 1;
        if slot == period {
            slot = 0;
        }
        s_tr += t[0];
        s_vmp += t[1];
        s_vmm += t[2];
        null_run = if t[0] == 0.0 { null_run + 1 } else { 0 };
        if null_run >= period {
            null_run = period;
            s_tr = 0.0;
        }
        let (cur_tr, cur_vmp, cur_vmm) = (s_tr, s_vmp, s_vmm);
        // `slot` now holds the bar leaving the window (today + 1 − period).
        let old = ring[slot];
        s_tr -= old[0];
        s_vmp -= old[1];
        s_vmm -= old[2];
        let positive = cur_tr > 0.0;
        *p_out = if positive { cur_vmp / cur_tr } else { 0.0 };
        *m_out = if positive { cur_vmm / cur_tr } else { 0.0 };
    }
    [plus, minus]
}
