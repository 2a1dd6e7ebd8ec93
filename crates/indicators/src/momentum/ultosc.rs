//! ULTOSC — Larry Williams' Ultimate Oscillator, TA-Lib-exact.
//!
//! Per bar, buying pressure `close − min(low, prev close)` and the true range; three
//! running sums of each over the three periods, sorted shortest first (TA-Lib sorts
//! them, so the shortest always gets weight 4, the middle 2, the longest 1):
//! `100 · (4·a1/b1 + 2·a2/b2 + a3/b3) / 7`, a ratio used only where its range sum is
//! positive. As in TA-Lib 0.8, once a window's worth of bars in a row has neither range
//! nor buying pressure, that window's sums are reset to exactly zero (dropping the
//! rounding residue of the running sums).

use crate::math::nan_vec;
use crate::volatility::atr::true_range;

/// Bars before the first value.
pub fn ultosc_lookback(p1: usize, p2: usize, p3: usize) -> usize {
    p1.max(p2).max(p3)
}

#[inline(always)]
fn terms(high: &[f64], low: &[f64], close: &[f64], i: usize) -> (f64, f64) {
    let prev_close = close[i - 1];
    let true_low = if low[i] < prev_close { low[i] } else { prev_close };
    (close[i] - true_low, true_range(high[i], low[i], prev_close))
}

/// Ultimate Oscillator over high/low/close.
pub fn ultosc(high: &[f64], low: &[f64], close: &[f64], p1: usize, p2: usize, p3: usize) -> Vec<f64> {
    let n = close.len();
    let mut out = nan_vec(n);
    let mut periods = [p1, p2, p3];
    periods.sort_unstable();
    let [short, mid, long] = periods;
    let lb = ultosc_lookback(p1, p2, p3);
    if short == 0 || n <= lb {
        return out;
    }
    let (mut a1, mut a2, mut a3, mut b1, mut b2, mut b3) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    // Each bar's terms, kept for the `long` bars of the longest window, so that a bar
    // leaving a window is not evaluated again. `pos` is the slot of the next bar.
    let (mut ring_a, mut ring_b) = (vec![0.0; long], vec![0.0; long]);
    let mut pos = 0;
    // Bars in a row with no range and no buying pressure.
    let mut null_run = 0;
    for i in lb + 1 - long..lb {
        let (a, b) = terms(high, low, close, i);
        (ring_a[pos], ring_b[pos]) = (a, b);
        pos = if pos + 1 == long { 0 } else { pos + 1 };
        null_run = if b == 0.0 && a == 0.0 { null_run + 1 } else { 0 };
        if i > lb - short {
            a1 += a;
            b1 += b;
        }
        if i > lb - mid {
            a2 += a;
            b2 += b;
        }
        a3 += a;
        b3 += b;
    }
    let wrap = |slot: usize| if slot >= long { slot - long } else { slot };
    // Slots of the bars leaving the short and middle windows after today.
    let mut trail1 = wrap(pos + long - short + 1);
    let mut trail2 = wrap(pos + long - mid + 1);
    for today in lb..n {
        let (a, b) = terms(high, low, close, today);
        (ring_a[pos], ring_b[pos]) = (a, b);
        a1 += a;
        a2 += a;
        a3 += a;
        b1 += b;
        b2 += b;
        b3 += b;
        null_run = if b == 0.0 && a == 0.0 { null_run + 1 } else { 0 };
        if null_run >= short {
            (a1, b1) = (0.0, 0.0);
            if null_run >= mid {
                (a2, b2) = (0.0, 0.0);
                if null_run >= long {
                    null_run = long;
                    (a3, b3) = (0.0, 0.0);
                }
            }
        }
        let mut output = 0.0;
        if b1 > 0.0 {
            output += 4.0 * (a1 / b1);
        }
        if b2 > 0.0 {
            output += 2.0 * (a2 / b2);
        }
        if b3 > 0.0 {
            output += a3 / b3;
        }
        a1 -= ring_a[trail1];
        b1 -= ring_b[trail1];
        trail1 = wrap(trail1 + 1);
        a2 -= ring_a[trail2];
        b2 -= ring_b[trail2];
        trail2 = wrap(trail2 + 1);
        pos = wrap(pos + 1);
        a3 -= ring_a[pos];
        b3 -= ring_b[pos];
        out[today] = 100.0 * (output / 7.0);
    }
    out
}
