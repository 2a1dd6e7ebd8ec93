//! MARKETFI — Bill Williams' market facilitation index, TA-Lib-exact:
//! (high − low) / volume, 0 on a zero-volume bar.

/// Bars before the first value.
pub fn marketfi_lookback() -> usize {
    0
}

/// MARKETFI over high/low/volume.
pub fn marketfi(high: &[f64], low: &[f64], volume: &[f64]) -> Vec<f64> {
    high.iter().zip(low).zip(volume).map(|((&h, &l), &v)| if v != 0.0 { (h - l) / v } else { 0.0 }).collect()
}
