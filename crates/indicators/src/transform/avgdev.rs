//! AVGDEV — average absolute deviation from the window mean, TA-Lib-exact.
//!
//! Per bar, as TA-Lib: the window sum taken newest value first, then the sum of
//! |x − sum/period| newest first, divided by the period. O(period) per bar.

/// Bars before the first value.
pub fn avgdev_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// AVGDEV over `real`; NaN inside the lookback.
pub fn avgdev(real: &[f64], period: usize) -> Vec<f64> {
    let n = real.len();
    if period == 0 || n < period {
        return vec![f64::NAN; n];
    }
    let p = period as f64;
    let mut out = Vec::with_capacity(n);
    out.resize(period - 1, f64::NAN);
    for window in real.windows(period) {
        let mut sum = 0.0;
        for &x in window.iter().rev() {
            sum += x;
        }
        let mean = sum / p;
        let mut dev = 0.0;
        for &x in window.iter().rev() {
            dev += (x - mean).abs();
        }
        out.push(dev / p);
    }
    out
}
