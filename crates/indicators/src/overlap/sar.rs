//! SAR — Wilder's parabolic stop-and-reverse, TA-Lib-exact.
//!
//! The first bar is consumed to pick the direction (long unless bar 1's −DM is
//! positive) and its extreme is the first SAR; each later bar outputs the SAR computed
//! on the previous one, reversing when price penetrates it.

use crate::math::nan_vec;

/// Bars before the first value.
pub fn sar_lookback() -> usize {
    1
}

/// A new extreme point moves `ep` to `price` and steps the acceleration factor (capped
/// at `maximum`); otherwise both stay. Written as selects rather than a branch: whether
/// a bar makes a new extreme is a coin toss the branch predictor keeps losing.
#[inline(always)]
fn extend(new_extreme: bool, price: f64, ep: f64, af: f64, accel: f64, maximum: f64) -> (f64, f64) {
    let stepped = af + accel;
    let stepped = if stepped > maximum { maximum } else { stepped };
    (if new_extreme { price } else { ep }, if new_extreme { stepped } else { af })
}

/// SAR over `high`/`low`; NaN for the first bar.
pub fn sar(high: &[f64], low: &[f64], acceleration: f64, maximum: f64) -> Vec<f64> {
    let n = high.len().min(low.len());
    let mut out = nan_vec(high.len());
    if n < 2 {
        return out;
    }
    let mut accel = acceleration;
    let mut af = accel;
    if af > maximum {
        accel = maximum;
        af = accel;
    }
    // Direction from bar 1's one-period minus-DM, as TA_MINUS_DM(period 1) computes it.
    let diff_p = high[1] - high[0];
    let diff_m = low[0] - low[1];
    let minus_dm = if diff_m > 0.0 && diff_p < diff_m { diff_m } else { 0.0 };
    let mut is_long = minus_dm <= 0.0;

    let mut today = 1usize;
    let mut ep;
    let mut sar;
    if is_long {
        ep = high[today];
        sar = low[today - 1];
    } else {
        ep = low[today];
        sar = high[today - 1];
    }
    let mut new_low = low[today];
    let mut new_high = high[today];
    while today < n {
        let prev_low = new_low;
        let prev_high = new_high;
        new_low = low[today];
        new_high = high[today];
        let idx = today;
        today += 1;
        if is_long {
            if new_low <= sar {
                is_long = false;
                sar = ep;
                if sar < prev_high {
                    sar = prev_high;
                }
                if sar < new_high {
                    sar = new_high;
                }
                out[idx] = sar;
                af = accel;
                ep = new_low;
                sar = af.mul_add(ep - sar, sar);
                if sar < prev_high {
                    sar = prev_high;
                }
                if sar < new_high {
                    sar = new_high;
                }
            } else {
                out[idx] = sar;
                (ep, af) = extend(new_high > ep, new_high, ep, af, accel, maximum);
                sar = af.mul_add(ep - sar, sar);
                if sar > prev_low {
                    sar = prev_low;
                }
                if sar > new_low {
                    sar = new_low;
                }
            }
        } else if new_high >= sar {
            is_long = true;
            sar = ep;
            if sar > prev_low {
                sar = prev_low;
            }
            if sar > new_low {
                sar = new_low;
            }
            out[idx] = sar;
            af = accel;
            ep = new_high;
            sar = af.mul_add(ep - sar, sar);
            if sar > prev_low {
                sar = prev_low;
            }
            if sar > new_low {
                sar = new_low;
            }
        } else {
            out[idx] = sar;
            (ep, af) = extend(new_low < ep, new_low, ep, af, accel, maximum);
            sar = af.mul_add(ep - sar, sar);
            if sar < prev_high {
                sar = prev_high;
            }
            if sar < new_high {
                sar = new_high;
            }
        }
    }
    out
}
