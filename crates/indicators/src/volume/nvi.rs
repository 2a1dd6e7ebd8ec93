//! NVI and PVI — negative and positive volume indexes, TA-Lib-exact: from 1000, the
//! index moves by the close's percentage change only on bars whose volume fell (NVI)
//! or rose (PVI) from the bar before: `idx += (c − pc) / pc · idx`. A zero previous
//! close, or a step that would overflow, leaves the index unchanged.

/// Bars before the first value.
pub fn volume_index_lookback() -> usize {
    0
}

#[inline(always)]
fn volume_index(close: &[f64], volume: &[f64], moves: impl Fn(f64, f64) -> bool) -> Vec<f64> {
    let n = close.len();
    let mut out = Vec::with_capacity(n);
    if n == 0 {
        return out;
    }
    let mut value = 1000.0;
    let (mut prev_close, mut prev_volume) = (close[0], volume[0]);
    for (&c, &v) in close.iter().zip(volume) {
        if moves(v, prev_volume) && prev_close != 0.0 {
            let mut next = value;
            next += (c - prev_close) / prev_close * next;
            if next.is_finite() {
                value = next;
            }
        }
        out.push(value);
        prev_close = c;
        prev_volume = v;
    }
    out
}

/// NVI over close/volume.
pub fn nvi(close: &[f64], volume: &[f64]) -> Vec<f64> {
    volume_index(close, volume, |v, pv| v < pv)
}

/// PVI over close/volume.
pub fn pvi(close: &[f64], volume: &[f64]) -> Vec<f64> {
    volume_index(close, volume, |v, pv| v > pv)
}
