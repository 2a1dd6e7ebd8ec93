//! AO and AC — Bill Williams' Awesome and Accelerator/Decelerator oscillators,
//! TA-Lib-exact.
//!
//! AO = SMA(median, fast) − SMA(median, slow), median = (high + low) / 2, both sums
//! started on the window that ends at the first output bar (periods are not swapped:
//! an inverted pair gives −AO). AC = AO − SMA(AO, signal), the signal sum started at
//! AO's first value. Every sum follows TA-Lib's add, use, subtract order.

use crate::math::nan_vec;

/// Bars before the first AO value.
pub fn ao_lookback(fast: usize, slow: usize) -> usize {
    fast.max(slow).saturating_sub(1)
}

/// AO over high/low.
pub fn ao(high: &[f64], low: &[f64], fast: usize, slow: usize) -> Vec<f64> {
    let n = high.len().min(low.len());
    let mut out = nan_vec(n);
    ao_into(high, low, fast, slow, &mut out);
    out
}

/// Writes AO into `out[lookback..]`; leaves the rest untouched.
fn ao_into(high: &[f64], low: &[f64], fast: usize, slow: usize, out: &mut [f64]) {
    let n = out.len();
    let lb = ao_lookback(fast, slow);
    if fast == 0 || slow == 0 || n <= lb {
        return;
    }
    let median = |i: usize| (high[i] + low[i]) / 2.0;
    let (first_fast, first_slow) = (lb + 1 - fast, lb + 1 - slow);
    let (mut sum_fast, mut sum_slow) = (0.0, 0.0);
    for i in 0..lb {
        let m = median(i);
        if i >= first_fast {
            sum_fast += m;
        }
        if i >= first_slow {
            sum_slow += m;
        }
    }
    let (pf, ps) = (fast as f64, slow as f64);
    for i in lb..n {
        let m = median(i);
        sum_fast += m;
        sum_slow += m;
        out[i] = sum_fast / pf - sum_slow / ps;
        sum_fast -= median(i + 1 - fast);
        sum_slow -= median(i + 1 - slow);
    }
}

/// Bars before the first AC value.
pub fn ac_lookback(fast: usize, slow: usize, signal: usize) -> usize {
    ao_lookback(fast, slow) + signal.saturating_sub(1)
}

/// AC over high/low.
pub fn ac(high: &[f64], low: &[f64], fast: usize, slow: usize, signal: usize) -> Vec<f64> {
    let n = high.len().min(low.len());
    let lb = ac_lookback(fast, slow, signal);
    if signal == 0 || n <= lb {
        return nan_vec(n);
    }
    let mut osc = nan_vec(n);
    ao_into(high, low, fast, slow, &mut osc);
    let start = ao_lookback(fast, slow);
    let mut out = nan_vec(n);
    let pg = signal as f64;
    let mut sum = 0.0;
    for &x in &osc[start..lb] {
        sum += x;
    }
    for i in lb..n {
        let x = osc[i];
        sum += x;
        out[i] = x - sum / pg;
        sum -= osc[i + 1 - signal];
    }
    out
}
