//! VORTEX — Botes & Siepman's vortex indicator (TA-Lib 0.8): window sums of
//! `|H − L[−1]|` and `|L − H[−1]|` over the window sum of the true range, the sums
//! carried incrementally (add today's terms, use, retire the trailing bar's).

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
        (true_range(high[i], low[i], close[i - 1]), (high[i] - low[i - 1]).abs(), (low[i] - high[i - 1]).abs())
    };
    let (mut s_tr, mut s_vmp, mut s_vmm) = (0.0, 0.0, 0.0);
    let mut null_run = 0usize;
    for i in 1..period {
        let (tr, vmp, vmm) = terms(i);
        s_tr += tr;
        s_vmp += vmp;
        s_vmm += vmm;
        null_run = if tr == 0.0 { null_run + 1 } else { 0 };
    }
    for today in period..n {
        let (tr, vmp, vmm) = terms(today);
        s_tr += tr;
        s_vmp += vmp;
        s_vmm += vmm;
        null_run = if tr == 0.0 { null_run + 1 } else { 0 };
        if null_run >= period {
            null_run = period;
            s_tr = 0.0;
        }
        let (cur_tr, cur_vmp, cur_vmm) = (s_tr, s_vmp, s_vmm);
        let (tr, vmp, vmm) = terms(today + 1 - period);
        s_tr -= tr;
        s_vmp -= vmp;
        s_vmm -= vmm;
        if cur_tr > 0.0 {
            plus[today] = cur_vmp / cur_tr;
            minus[today] = cur_vmm / cur_tr;
        } else {
            plus[today] = 0.0;
            minus[today] = 0.0;
        }
    }
    [plus, minus]
}
