//! VWMA — volume-weighted moving average (TA-Lib 0.8's `TA_VWMA`), bit-exact.
//!
//! `Σ(price·volume) / Σvolume` over the window, both sums carried from bar to bar in
//! TA-Lib's order (add the new bar, take the value, subtract the leaving bar), each
//! divided by the period before the ratio is taken. A window of zero volume divides
//! whatever rounding residue the price·volume sum still carries by zero (±inf or NaN),
//! as TA-Lib 0.8.1 does (later TA-Lib sources reset both sums there).

use crate::math::nan_vec;

/// Bars before the first VWMA value.
pub fn vwma_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// VWMA of `real` weighted by `volume`; NaN inside the lookback. A period of 1 is the
/// price itself (even at zero volume).
pub fn vwma(real: &[f64], volume: &[f64], period: usize) -> Vec<f64> {
    let n = real.len().min(volume.len());
    let mut out = nan_vec(real.len());
    if period == 0 || n < period {
        return out;
    }
    if period == 1 {
        out[..n].copy_from_slice(&real[..n]);
        return out;
    }
    let p = period as f64;
    let (mut sum_pv, mut sum_v) = (0.0, 0.0);
    for i in 0..period - 1 {
        let pv = real[i] * volume[i];
        sum_pv += pv;
        sum_v += volume[i];
    }
    for i in period - 1..n {
        let pv = real[i] * volume[i];
        sum_pv += pv;
        sum_v += volume[i];
        let (window_pv, window_v) = (sum_pv, sum_v);
        let old = i + 1 - period;
        let old_pv = real[old] * volume[old];
        sum_pv -= old_pv;
        sum_v -= volume[old];
        out[i] = (window_pv / p) / (window_v / p);
    }
    out
}
