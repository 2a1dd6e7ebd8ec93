//! BOLL — Bollinger bands as MyTT draws them: MID = MA(C, n), UPPER/LOWER = MID ± p·STD
//! (population standard deviation).

use super::pandas::{rolling_mean, rolling_std_pop};

/// Bars before the first value.
pub fn boll_lookback(n: usize) -> usize {
    n.saturating_sub(1)
}

/// `[upper, mid, lower]`.
pub fn boll(close: &[f64], n: usize, p: f64) -> [Vec<f64>; 3] {
    let mid = rolling_mean(close, n);
    let sd = rolling_std_pop(close, n);
    let upper = mid.iter().zip(&sd).map(|(m, s)| m + s * p).collect();
    let lower = mid.iter().zip(&sd).map(|(m, s)| m - s * p).collect();
    [upper, mid, lower]
}
