//! MAVP — moving average with a period per bar (TA-Lib's `TA_MAVP`), bit-exact.
//!
//! Each bar's period is read from a second series, clamped to `minperiod..=maxperiod`
//! (below the minimum or NaN: the minimum; above the maximum: the maximum; otherwise
//! truncated toward zero), and the bar takes the value of `MA(x, that period, matype)`.
//! As in TA-Lib, every such MA is started at the same bar (MAVP's first output,
//! `MA`'s lookback at `maxperiod`), so a recursive MA is seeded from the window before
//! that bar rather than from the start of the series.
//!
//! Not in the catalog: the period series is not an OHLCV column (see the crate's
//! `registry`); call [`mavp`] directly.

use super::ma::{ma, ma_lookback, MaType};
use crate::math::nan_vec;

/// Bars before the first MAVP value.
pub fn mavp_lookback(maxperiod: usize, matype: MaType) -> usize {
    ma_lookback(maxperiod, matype)
}

/// The moving average of `real` with the period of each bar taken from `periods`;
/// NaN inside the lookback. `minperiod > maxperiod` (refused by TA-Lib) gives all NaN.
pub fn mavp(real: &[f64], periods: &[f64], minperiod: usize, maxperiod: usize, matype: MaType) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    let start = mavp_lookback(maxperiod, matype);
    if minperiod == 0 || minperiod > maxperiod || periods.len() < n || n <= start {
        return out;
    }
    let (lo, hi) = (minperiod as f64, maxperiod as f64);
    let clamp = |p: f64| -> usize {
        if p.is_nan() || p < lo {
            minperiod
        } else if p > hi {
            maxperiod
        } else {
            p as usize
        }
    };
    // Bars grouped by period: one MA per distinct period, not one per bar.
    let mut order: Vec<(usize, usize)> = (start..n).map(|bar| (clamp(periods[bar]), bar)).collect();
    order.sort_unstable();
    let mut i = 0;
    while i < order.len() {
        let period = order[i].0;
        let mut j = i;
        while j < order.len() && order[j].0 == period {
            j += 1;
        }
        let last_bar = order[j - 1].1;
        // TA-Lib starts this MA at bar `start`: its window begins `lookback` earlier.
        let offset = start - ma_lookback(period, matype);
        let values = ma(&real[offset..=last_bar], period, matype);
        for &(_, bar) in &order[i..j] {
            out[bar] = values[bar - offset];
        }
        i = j;
    }
    out
}
