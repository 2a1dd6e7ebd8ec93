//! CMOU — Chande momentum oscillator, unsmoothed (TA-Lib 0.8): plain window sums of the
//! up and down moves, `100·(up − down) / (up + down)`, 0 where that total is not
//! positive. Once a whole window of changes is exactly zero both sums are reset to 0,
//! dropping the running sums' rounding residue, as TA-Lib does.

use crate::math::nan_vec;

/// Bars before the first CMOU value.
pub fn cmou_lookback(period: usize) -> usize {
    period
}

// The moves are added and removed branch-free: adding or subtracting 0.0 leaves a sum
// unchanged (neither sum can be −0.0), so the numbers are TA-Lib's branchy ones.
#[inline(always)]
fn rise(d: f64) -> f64 {
    if d > 0.0 {
        d
    } else {
        0.0
    }
}

#[inline(always)]
fn fall(d: f64) -> f64 {
    if d < 0.0 {
        d
    } else {
        0.0
    }
}

#[inline(always)]
fn ratio(up: f64, down: f64) -> f64 {
    let sum = up + down;
    if sum > 0.0 {
        (100.0 * (up - down)) / sum
    } else {
        0.0
    }
}

/// CMOU over `real`; NaN inside the lookback.
pub fn cmou(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if period == 0 || n <= period {
        return out;
    }
    let (mut up, mut down) = (0.0, 0.0);
    let mut null_run = 0usize;
    for i in 1..=period {
        let d = real[i] - real[i - 1];
        up += rise(d);
        down -= fall(d);
        null_run = if d == 0.0 { null_run + 1 } else { 0 };
    }
    out[period] = ratio(up, down);
    for today in period + 1..n {
        let trailing = today - period;
        let d = real[trailing] - real[trailing - 1];
        up -= rise(d);
        down += fall(d);
        let d = real[today] - real[today - 1];
        up += rise(d);
        down -= fall(d);
        null_run = if d == 0.0 { null_run + 1 } else { 0 };
        if null_run >= period {
            null_run = period;
            up = 0.0;
            down = 0.0;
        }
        out[today] = ratio(up, down);
    }
    out
}
