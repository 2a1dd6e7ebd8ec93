//! RVOL — relative volume, TA-Lib-exact: today's volume over the average volume of
//! the `period` bars before it. The window sum is carried (drop the bar leaving, then
//! add today's) and set to exactly 0 once `period` zero-volume bars in a row fill it.
//! A zero baseline gives inf (or NaN for 0/0), as in TA-Lib.

use crate::math::nan_vec;

/// Bars before the first value: today is not part of its own baseline.
pub fn rvol_lookback(period: usize) -> usize {
    period.max(1)
}

/// RVOL over `volume`.
pub fn rvol(volume: &[f64], period: usize) -> Vec<f64> {
    let n = volume.len();
    let period = period.max(1);
    if n <= period {
        return nan_vec(n);
    }
    let p = period as f64;
    let mut total = 0.0;
    let mut zero_run = 0usize;
    for &v in &volume[..period] {
        total += v;
        zero_run = if v == 0.0 { zero_run + 1 } else { 0 };
    }
    let mut out = Vec::with_capacity(n);
    out.resize(period, f64::NAN);
    for today in period..n {
        let baseline = total / p;
        total -= volume[today - period];
        let v = volume[today];
        total += v;
        zero_run = if v == 0.0 { zero_run + 1 } else { 0 };
        if zero_run >= period {
            zero_run = period;
            total = 0.0;
        }
        out.push(v / baseline);
    }
    out
}
