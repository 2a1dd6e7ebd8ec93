//! PVO — percentage volume oscillator, TA-Lib-exact: (MA(fast) − MA(slow)) / MA(slow)
//! · 100 over the volume, with TA-Lib's MA of the given type (the shorter period is
//! always the fast one); 0 where the slow MA is within TA-Lib's epsilon of zero.

use crate::math::{is_zero, nan_vec};
use crate::overlap::ma::{ma, ma_lookback, MaType};

/// Bars before the first value: the slower MA's.
pub fn pvo_lookback(fast: usize, slow: usize, matype: MaType) -> usize {
    ma_lookback(fast.max(slow), matype)
}

/// PVO over `volume`.
pub fn pvo(volume: &[f64], fast: usize, slow: usize, matype: MaType) -> Vec<f64> {
    let n = volume.len();
    let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
    let lb = pvo_lookback(fast, slow, matype);
    if n <= lb {
        return nan_vec(n);
    }
    let fast_ma = ma(volume, fast, matype);
    let mut out = ma(volume, slow, matype);
    for (o, &f) in out.iter_mut().zip(&fast_ma).skip(lb) {
        let s = *o;
        *o = if !is_zero(s) { (f - s) / s * 100.0 } else { 0.0 };
    }
    out
}
