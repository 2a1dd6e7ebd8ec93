//! IMI — intraday momentum index, TA-Lib-exact.
//!
//! Over each window of `p` bars: up = Σ(close − open) where close > open, down =
//! Σ(open − close) elsewhere; IMI = 100 · up / (up + down), 50 where both are zero. Each
//! window is summed afresh from its oldest bar, as TA-Lib does (a running sum would
//! change the low bits); several windows are summed side by side for speed, each in
//! TA-Lib's order.

use crate::math::nan_vec;

/// Bars before the first value.
pub fn imi_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// Windows summed side by side (independent addition chains).
const LANES: usize = 4;

/// One bar's contribution `(up, down)`, branch-free: the side not taking the bar gets
/// +0.0, which leaves its sum bit-identical (both sums are >= +0.0 or NaN), so the sums
/// equal TA-Lib's if/else, NaN included. (A bit mask rather than a select, which the
/// compiler may turn back into an unpredictable branch.)
#[inline(always)]
fn split(c: f64, o: f64) -> (f64, f64) {
    let rising = u64::from(c > o).wrapping_neg();
    (f64::from_bits((c - o).to_bits() & rising), f64::from_bits((o - c).to_bits() & !rising))
}

#[inline(always)]
fn ratio(up: f64, down: f64) -> f64 {
    let total = up + down;
    if total == 0.0 {
        50.0
    } else {
        100.0 * (up / total)
    }
}

/// IMI over open/close.
pub fn imi(open: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let n = open.len().min(close.len());
    let mut out = nan_vec(n);
    let lb = imi_lookback(period);
    if period == 0 || n <= lb {
        return out;
    }
    let (open, close) = (&open[..n], &close[..n]);
    let mut today = lb;
    while today + LANES <= n {
        let first = today - lb;
        let (mut up, mut down) = ([0.0; LANES], [0.0; LANES]);
        for j in 0..period {
            let (c, o) = (&close[first + j..first + j + LANES], &open[first + j..first + j + LANES]);
            for k in 0..LANES {
                let (u, d) = split(c[k], o[k]);
                up[k] += u;
                down[k] += d;
            }
        }
        for k in 0..LANES {
            out[today + k] = ratio(up[k], down[k]);
        }
        today += LANES;
    }
    for t in today..n {
        let (mut up, mut down) = (0.0, 0.0);
        for i in t - lb..=t {
            let (u, d) = split(close[i], open[i]);
            up += u;
            down += d;
        }
        out[t] = ratio(up, down);
    }
    out
}
