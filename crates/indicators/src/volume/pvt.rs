//! PVT — price volume trend, TA-Lib-exact: from 0, adds `(c − pc) / pc · v` each bar
//! (nothing when the previous close is exactly 0).

/// Bars before the first value.
pub fn pvt_lookback() -> usize {
    0
}

/// PVT over close/volume.
pub fn pvt(close: &[f64], volume: &[f64]) -> Vec<f64> {
    let mut value = 0.0;
    let mut prev_close = close.first().copied().unwrap_or(0.0);
    close
        .iter()
        .zip(volume)
        .map(|(&c, &v)| {
            if prev_close != 0.0 {
                value += (c - prev_close) / prev_close * v;
            }
            prev_close = c;
            value
        })
        .collect()
}
