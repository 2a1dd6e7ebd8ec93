//! BBANDS — Bollinger Bands, TA-Lib-exact.
//!
//! Middle = MA(x, p, matype); the deviation is the population standard deviation over
//! the same window. With the SMA (the default) TA-Lib reuses the SMA as the mean and
//! keeps a running sum of squares; other types go through STDDEV started at the first
//! bar where both the MA and the deviation have a value. Upper = middle + dev·nbdevup, lower = middle − dev·nbdevdn.

use super::ma::{ma, ma_lookback, MaType};
use crate::math::nan_vec;
use crate::volatility::stddev::variance_from;

/// Bars before the first band value: the later of the MA's and the deviation's (they
/// differ for the identity type and for MAMA at periods above 33).
pub fn bbands_lookback(period: usize, matype: MaType) -> usize {
    ma_lookback(period, matype).max(period.saturating_sub(1))
}

/// `[upper, middle, lower]`.
pub fn bbands(real: &[f64], period: usize, nbdevup: f64, nbdevdn: f64, matype: MaType) -> [Vec<f64>; 3] {
    let n = real.len();
    let lb = bbands_lookback(period, matype);
    if period < 2 || n <= lb {
        return [nan_vec(n), nan_vec(n), nan_vec(n)];
    }
    let mut middle = ma(real, period, matype);
    // The MA may start before the deviation (identity type, MAMA): the band starts
    // where both have a value.
    middle[..lb].fill(f64::NAN);
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
