//! CMF — Chaikin money flow, TA-Lib-exact: Σ money-flow volume / Σ volume over the
//! window, with the money-flow volume `((c − l) − (h − c)) / (h − l) · v` written as in
//! AD (0 when h ≤ l). Both sums are carried (subtract the bar leaving, add the new one);
//! a window whose volume sum is not positive gives 0.

use crate::math::{nan_vec, with_lookback};

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
    // The window's money-flow volumes, oldest at `slot` (TA-Lib keeps the same ring).
    let mut flows = vec![0.0; period];
    let (mut sum_mfv, mut sum_vol) = (0.0, 0.0);
    for i in 0..period {
        let mfv = money_flow_volume(high[i], low[i], close[i], volume[i]);
        flows[i] = mfv;
        sum_mfv += mfv;
        sum_vol += volume[i];
    }
    let mut slot = 0;
    let entering = high[period..].iter().zip(&low[period..]).zip(close[period..].iter().zip(&volume[period..]));
    let seed = std::iter::once(ratio(sum_mfv, sum_vol));
    with_lookback(
        n,
        period - 1,
        seed.chain(entering.zip(volume).map(|(((&h, &l), (&c, &v)), &old_v)| {
            sum_mfv -= flows[slot];
            sum_vol -= old_v;
            let mfv = money_flow_volume(h, l, c, v);
            flows[slot] = mfv;
            sum_mfv += mfv;
            sum_vol += v;
            slot += 1;
            if slot == period {
                slot = 0;
            }
            ratio(sum_mfv, sum_vol)
        })),
    )
}
