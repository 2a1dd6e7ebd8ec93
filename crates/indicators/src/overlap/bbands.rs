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
pub fn bbands(
    real: &[f64],
    period: usize,
    nbdevup: f64,
    nbdevdn: f64,
    matype: MaType,
) -> [Vec<f64>; 3] {
    let n = real.len();
    let lb = bbands_lookback(period, matype);
    let mut upper = nan_vec(n);
    let mut lower = nan_vec(n);
    if period < 2 || n <= lb {
        return [upper, nan_vec(n), lower];
    }
    let middle = ma(real, period, matype);
    let var = variance_from(real, period, lb);
    let mut dev = nan_vec(n);
    for i in lb..n {
        dev[i] = var[i].sqrt();
    }
    // TA-Lib scales the deviation once when both multipliers are equal; when they differ
    // its FMA build fuses `middle + dev·up` into one multiply-add (not the lower band).
    for i in lb..n {
        let d = dev[i];
        let m = middle[i];
        if nbdevup == nbdevdn {
            let scaled = d * nbdevup;
            upper[i] = m + scaled;
            lower[i] = m - scaled;
        } else {
            upper[i] = if nbdevup == 1.0 {
                m + d
            } else {
                d.mul_add(nbdevup, m)
            };
            lower[i] = if nbdevdn == 1.0 {
                m - d
            } else {
                m - d * nbdevdn
            };
        }
    }
    [upper, middle, lower]
}
