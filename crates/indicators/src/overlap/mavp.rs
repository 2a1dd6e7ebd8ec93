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
    // Bars grouped by period (a counting sort, bars ascending within a period): one MA
    // per distinct period, not one per bar.
    let bar_period: Vec<usize> = periods[start..n].iter().map(|&p| clamp(p)).collect();
    let (lo_used, hi_used) = bar_period.iter().fold((maxperiod, minperiod), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    let mut ends = vec![0usize; hi_used - lo_used + 2];
    for &p in &bar_period {
        ends[p - lo_used + 1] += 1;
    }
    for i in 1..ends.len() {
        ends[i] += ends[i - 1];
    }
    let mut order = vec![0usize; bar_period.len()];
    for (i, &p) in bar_period.iter().enumerate() {
        let slot = &mut ends[p - lo_used];
        order[*slot] = start + i;
        *slot += 1;
    }
    // `ends[k]` is now the end of period `lo_used + k`'s run in `order`.
    let mut begin = 0;
    for (k, &end) in ends[..=hi_used - lo_used].iter().enumerate() {
        if end == begin {
            continue;
        }
        let period = lo_used + k;
        let bars = &order[begin..end];
        let last_bar = bars[bars.len() - 1];
        // TA-Lib starts this MA at bar `start`: its window begins `lookback` earlier.
        let offset = start.saturating_sub(ma_lookback(period, matype));
        let values = ma(&real[offset..=last_bar], period, matype);
        for &bar in bars {
            out[bar] = values[bar - offset];
        }
        begin = end;
    }
    out
}
