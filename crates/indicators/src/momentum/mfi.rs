//! MFI — money flow index, TA-Lib-exact (the 0.6+ form: a scale-aware dead zone for
//! "typical price unchanged", an exact reset when a whole window carried no money flow,
//! and a clamp of the ratio into [0, 100]).

use crate::math::{is_zero_scaled, nan_vec};

/// Bars before the first value.
pub fn mfi_lookback(period: usize) -> usize {
    period
}

/// MFI over high/low/close/volume.
pub fn mfi(high: &[f64], low: &[f64], close: &[f64], volume: &[f64], period: usize) -> Vec<f64> {
    let n = close.len();
    let mut out = nan_vec(n);
    if period == 0 || n <= period {
        return out;
    }
    let mut pos_ring = vec![0.0; period];
    let mut neg_ring = vec![0.0; period];
    let mut slot = 0usize;
    let mut pos_sum = 0.0;
    let mut neg_sum = 0.0;
    let mut null_run = 0usize;
    let mut prev = (high[0] + low[0] + close[0]) / 3.0;
    let value = |pos_sum: f64, neg_sum: f64| {
        let total = pos_sum + neg_sum;
        let pos = if pos_sum < 0.0 {
            0.0
        } else if pos_sum > total {
            total
        } else {
            pos_sum
        };
        if total <= 0.0 {
            0.0
        } else {
            100.0 * (pos / total)
        }
    };
    for today in 1..n {
        if today > period {
            pos_sum -= pos_ring[slot];
            neg_sum -= neg_ring[slot];
        }
        let tp = (high[today] + low[today] + close[today]) / 3.0;
        let change = tp - prev;
        let scale = tp.abs() + prev.abs();
        prev = tp;
        let flow = tp * volume[today];
        let money_flow = if is_zero_scaled(change, scale) { 0.0 } else { flow };
        let pos_flow = if change < 0.0 { 0.0 } else { money_flow };
        let neg_flow = if change < 0.0 { money_flow } else { 0.0 };
        pos_ring[slot] = pos_flow;
        neg_ring[slot] = neg_flow;
        pos_sum += pos_flow;
        neg_sum += neg_flow;
        null_run = if money_flow == 0.0 { null_run + 1 } else { 0 };
        if null_run >= period {
            null_run = period;
            pos_sum = 0.0;
            neg_sum = 0.0;
        }
        if today >= period {
            out[today] = value(pos_sum, neg_sum);
        }
        slot += 1;
        if slot == period {
            slot = 0;
        }
    }
    out
}
