//! MFI — money flow index, TA-Lib-exact (the 0.6+ form: a scale-aware dead zone for
//! "typical price unchanged", an exact reset when a whole window carried no money flow,
//! and a clamp of the ratio into [0, 100]).

use crate::math::{is_zero_scaled, nan_vec};

/// Bars before the first value.
pub fn mfi_lookback(period: usize) -> usize {
    period
}

/// Bars per chunk: the typical prices and the sums of a chunk stay in L1.
const CHUNK: usize = 512;

/// The value of a bar from its window sums (clamped ratio, 0 when no money moved).
#[inline(always)]
fn value(pos_sum: f64, neg_sum: f64) -> f64 {
    let total = pos_sum + neg_sum;
    let pos = if pos_sum < 0.0 {
        0.0
    } else if pos_sum > total {
        total
    } else {
        pos_sum
    };
    let ratio = 100.0 * (pos / total);
    if total <= 0.0 {
        0.0
    } else {
        ratio
    }
}

/// MFI over high/low/close/volume.
///
/// Chunk by chunk: the typical prices (a division each) and the final ratios (another)
/// are computed in vectorisable passes, so that only the running sums stay sequential.
/// Each value is the same expression as bar-by-bar, so the numbers do not change.
pub fn mfi(high: &[f64], low: &[f64], close: &[f64], volume: &[f64], period: usize) -> Vec<f64> {
    let n = close.len().min(high.len()).min(low.len()).min(volume.len());
    let mut out = nan_vec(close.len());
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
    let mut tp = [0.0f64; CHUNK];
    let mut pos_at = [0.0f64; CHUNK];
    let mut neg_at = [0.0f64; CHUNK];
    let mut start = 1;
    while start < n {
        let len = (n - start).min(CHUNK);
        let (h, l, c, v) = (
            &high[start..start + len],
            &low[start..start + len],
            &close[start..start + len],
            &volume[start..start + len],
        );
        for j in 0..len {
            tp[j] = (h[j] + l[j] + c[j]) / 3.0;
        }
        for j in 0..len {
            let today = start + j;
            if today > period {
                pos_sum -= pos_ring[slot];
                neg_sum -= neg_ring[slot];
            }
            let tp = tp[j];
            let change = tp - prev;
            let scale = tp.abs() + prev.abs();
            prev = tp;
            let flow = tp * v[j];
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
            pos_at[j] = pos_sum;
            neg_at[j] = neg_sum;
            slot += 1;
            if slot == period {
                slot = 0;
            }
        }
        let first = period.saturating_sub(start).min(len);
        let dst = &mut out[start + first..start + len];
        for ((o, &p), &q) in dst.iter_mut().zip(&pos_at[first..len]).zip(&neg_at[first..len]) {
            *o = value(p, q);
        }
        start += len;
    }
    out
}
