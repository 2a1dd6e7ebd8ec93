//! BBANDS — Bollinger Bands, TA-Lib-exact.
//!
//! Middle = MA(x, p, matype); the deviation is the population standard deviation over
//! the same window. With the SMA (the default) TA-Lib reuses the SMA as the mean and
//! keeps a running sum of squares; other types go through STDDEV started at the MA's
//! first bar. Upper = middle + dev·nbdevup, lower = middle − dev·nbdevdn.

use super::ma::{ma, ma_lookback, MaType};
use crate::math::nan_vec;
use crate::volatility::stddev::variance_from;

/// Bars before the first band value.
pub fn bbands_lookback(period: usize, matype: MaType) -> usize {
    ma_lookback(period, matype)
}

/// `[upper, middle, lower]`.
pub fn bbands(real: &[f64], period: usize, nbdevup: f64, nbdevdn: f64, matype: MaType) -> [Vec<f64>; 3] {
    let n = real.len();
    let lb = bbands_lookback(period, matype);
    if period < 2 || n <= lb {
        return [nan_vec(n), nan_vec(n), nan_vec(n)];
    }
    let middle = ma(real, period, matype);
    // The variance arrives in `upper`; both bands are then derived in place.
    let mut upper = variance_from(real, period, lb);
    let mut lower = nan_vec(n);
    for ((u, l), &m) in upper[lb..].iter_mut().zip(&mut lower[lb..]).zip(&middle[lb..]) {
        let d = u.sqrt();
        // TA-Lib scales the deviation once when both multipliers are equal; when they
        // differ its FMA build fuses `middle + dev·up` (not the lower band).
        if nbdevup == nbdevdn {
            let scaled = d * nbdevup;
            *u = m + scaled;
            *l = m - scaled;
        } else {
            *u = if nbdevup == 1.0 { m + d } else { d.mul_add(nbdevup, m) };
            *l = if nbdevdn == 1.0 { m - d } else { m - d * nbdevdn };
        }
    }
    [upper, middle, lower]
}
