//! RVOL — relative volume, TA-Lib-exact: today's volume over the average volume of
//! the `period` bars before it. The window sum is carried (drop the bar leaving, then
//! add today's); the wheel's C library (0.8.1) does not yet reset it to exactly 0 on a
//! window of zero volumes, so a dead window leaves the rounding residue, as there. A
//! zero baseline gives inf (or NaN for 0/0), as in TA-Lib.

use crate::math::{nan_vec, with_lookback};

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
    for &v in &volume[..period] {
        total += v;
    }
    let bars = volume[period..].iter().zip(volume);
    with_lookback(
        n,
        period,
        bars.map(|(&v, &old)| {
            let baseline = total / p;
            total -= old;
            total += v;
            v / baseline
        }),
    )
}
