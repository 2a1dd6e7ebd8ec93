//! CMOU — Chande momentum oscillator, unsmoothed (TA-Lib 0.8): plain window sums of the
//! up and down moves, `100·(up − down) / (up + down)`, 0 where that total is not
//! positive. Once a whole window of changes is exactly zero both sums are reset to 0,
//! dropping the running sums' rounding residue, as TA-Lib does.

use crate::math::nan_vec;

/// Bars before the first CMOU value.
pub fn cmou_lookback(period: usize) -> usize {
    period
}

#[inline(always)]
fn add_move(d: f64, up: &mut f64, down: &mut f64) {
    if d > 0.0 {
        *up += d;
    } else if d < 0.0 {
        *down -= d;
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
        add_move(d, &mut up, &mut down);
        null_run = if d == 0.0 { null_run + 1 } else { 0 };
    }
    out[period] = ratio(up, down);
    for today in period + 1..n {
        let trailing = today - period;
        // Remove the oldest move (the mirror of `add_move`).
        let d = real[trailing] - real[trailing - 1];
        if d > 0.0 {
            up -= d;
        } else if d < 0.0 {
            down += d;
        }
        let d = real[today] - real[today - 1];
        add_move(d, &mut up, &mut down);
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
