//! APO and PPO — absolute and percentage price oscillators, TA-Lib-exact.
//!
//! APO = fast MA − slow MA; PPO = (fast MA − slow MA) / slow MA · 100, 0 where the slow
//! MA is zero within TA-Lib's epsilon. Both MAs are of the given type and run over the
//! whole input (each from its own lookback); periods are swapped when slow < fast.

use crate::math::{is_zero, nan_vec};
use crate::overlap::ma::{ma, ma_lookback, MaType};

/// Bars before the first APO / PPO value.
pub fn po_lookback(fast: usize, slow: usize, matype: MaType) -> usize {
    ma_lookback(fast.max(slow), matype)
}

/// APO over `real`.
pub fn apo(real: &[f64], fast: usize, slow: usize, matype: MaType) -> Vec<f64> {
    oscillator(real, fast, slow, matype, |f, s| f - s)
}

/// PPO over `real`.
pub fn ppo(real: &[f64], fast: usize, slow: usize, matype: MaType) -> Vec<f64> {
    oscillator(real, fast, slow, matype, |f, s| if !is_zero(s) { ((f - s) / s) * 100.0 } else { 0.0 })
}

#[inline]
fn oscillator(real: &[f64], fast: usize, slow: usize, matype: MaType, combine: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
    let n = real.len();
    let lb = po_lookback(fast, slow, matype);
    if fast == 0 || n <= lb {
        return nan_vec(n);
    }
    let fast_line = ma(real, fast, matype);
    let mut out = ma(real, slow, matype);
    for (o, &f) in out[lb..].iter_mut().zip(&fast_line[lb..]) {
        *o = combine(f, *o);
    }
    out
}
