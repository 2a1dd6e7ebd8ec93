//! WMA — linearly weighted moving average, TA-Lib's incremental form (bit-exact).
//!
//! Weights 1..p, newest heaviest, divided by p(p+1)/2. TA-Lib carries the weighted sum
//! and the plain sum from bar to bar instead of re-weighting the window, and (0.8)
//! rebuilds both from the window every 8·p bars.

use crate::math::nan_vec;

/// Bars before the first WMA value.
pub fn wma_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// WMA over `real`; NaN inside the lookback.
pub fn wma(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    let mut out = nan_vec(n);
    if period == 0 || n < period {
        return out;
    }
    if period == 1 {
        out.copy_from_slice(real);
        return out;
    }
    let divider = ((period * (period + 1)) >> 1) as f64;
    let p = period as f64;
    let mut period_sub = 0.0;
    let mut period_sum = 0.0;
    for (i, &x) in real[..period - 1].iter().enumerate() {
        period_sub += x;
        period_sum += x * (i + 1) as f64;
    }
    // TA-Lib 0.8 rebuilds both sums from the window every 8·p bars so that the
    // add/subtract drift of the running sums cannot accumulate.
    let resync_every = 8 * period;
    let mut countdown = resync_every;
    let mut trailing_value = 0.0;
    for (i, o) in out.iter_mut().enumerate().skip(period - 1) {
        let trailing = i + 1 - period;
        countdown -= 1;
        if countdown == 0 {
            countdown = resync_every;
            period_sub = 0.0;
            period_sum = 0.0;
            for (w, &x) in real[trailing..=i].iter().enumerate() {
                period_sub += x;
                period_sum += x * (w + 1) as f64;
            }
        } else {
            let x = real[i];
            period_sub += x;
            period_sub -= trailing_value;
            period_sum += x * p;
        }
        trailing_value = real[trailing];
        *o = period_sum / divider;
        period_sum -= period_sub;
    }
    out
}
