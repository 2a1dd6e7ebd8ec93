//! AVGDEV — average absolute deviation from the window mean, TA-Lib-exact.
//!
//! Per bar, as TA-Lib: the window sum taken newest value first, then the sum of
//! |x − sum/period| newest first, divided by the period. O(period) per bar; sixteen
//! consecutive bars are computed side by side (each with its own sums, in TA-Lib's
//! order), which the compiler vectorises.

/// Bars before the first value.
pub fn avgdev_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// AVGDEV of the window ending at each of the `N` bars from `today` on.
#[inline(always)]
fn block<const N: usize>(real: &[f64], today: usize, period: usize) -> [f64; N] {
    let p = period as f64;
    let mut sum = [0.0; N];
    for back in 0..period {
        let w = &real[today - back..][..N];
        for k in 0..N {
            sum[k] += w[k];
        }
    }
    let mean: [f64; N] = std::array::from_fn(|k| sum[k] / p);
    let mut dev = [0.0; N];
    for back in 0..period {
        let w = &real[today - back..][..N];
        for k in 0..N {
            dev[k] += (w[k] - mean[k]).abs();
        }
    }
    std::array::from_fn(|k| dev[k] / p)
}

/// AVGDEV over `real`; NaN inside the lookback.
pub fn avgdev(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    if period == 0 || n < period {
        return vec![f64::NAN; n];
    }
    let mut out = Vec::with_capacity(n);
    out.resize(period - 1, f64::NAN);
    let mut today = period - 1;
    while today + 16 <= n {
        out.extend_from_slice(&block::<16>(real, today, period));
        today += 16;
    }
    while today < n {
        out.extend_from_slice(&block::<1>(real, today, period));
        today += 1;
    }
    out
}
