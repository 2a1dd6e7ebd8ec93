//! CMF — Chaikin money flow, TA-Lib-exact: Σ money-flow volume / Σ volume over the
//! window, with the money-flow volume `((c − l) − (h − c)) / (h − l) · v` written as in
//! AD (0 when h ≤ l). Both sums are carried (add the new bar, subtract the bar leaving);
//! a window whose volume sum is not positive gives 0.

use crate::math::nan_vec;

/// Bars before the first value.
pub fn cmf_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

#[inline(always)]
fn money_flow_volume(high: f64, low: f64, close: f64, volume: f64) -> f64 {
    let range = high - low;
    if range > 0.0 {
        ((close - low) - (high - close)) / range * volume
    } else {
        0.0
    }
}

#[inline(always)]
fn ratio(mfv: f64, vol: f64) -> f64 {
    if vol > 0.0 {
        mfv / vol
    } else {
        0.0
    }
}

/// CMF over high/low/close/volume.
pub fn cmf(high: &[f64], low: &[f64], close: &[f64], volume: &[f64], period: usize) -> Vec<f64> {
    let n = close.len();
    let period = period.max(1);
    if n < period {
        return nan_vec(n);
    }
    let (mut sum_mfv, mut sum_vol) = (0.0, 0.0);
    for i in 0..period {
        sum_mfv += money_flow_volume(high[i], low[i], close[i], volume[i]);
        sum_vol += volume[i];
    }
    let mut out = Vec::with_capacity(n);
    out.resize(period - 1, f64::NAN);
    out.push(ratio(sum_mfv, sum_vol));
    for today in period..n {
        let t = today - period;
        // The value leaving is recomputed from its bar: the same expression on the same
        // inputs, so the same double TA-Lib kept in its ring.
        sum_mfv -= money_flow_volume(high[t], low[t], close[t], volume[t]);
        sum_vol -= volume[t];
        sum_mfv += money_flow_volume(high[today], low[today], close[today], volume[today]);
        sum_vol += volume[today];
        out.push(ratio(sum_mfv, sum_vol));
    }
    out
}
