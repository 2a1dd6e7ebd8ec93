//! ACCBANDS — acceleration bands, TA-Lib-exact.
//!
//! Three SMAs over one shared window, each a running sum kept in TA-Lib's order (add
//! the new bar, record, subtract the leaving bar): the middle band of the close, the
//! upper band of high·(1 + 4·(high − low)/(high + low)) and the lower band of
//! low·(1 − 4·(high − low)/(high + low)) (high and low themselves where high + low is
//! zero within 1e-14 of |high| + |low|, TA-Lib 0.8's scaled test). Each bar's mapped
//! values are a pure function of the bar: TA-Lib computes them again when the bar
//! leaves the window; here they are kept in a ring of `period` slots instead.

use crate::math::is_zero_scaled;

/// Bars before the first value.
pub fn accbands_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

#[inline(always)]
fn mapped(high: f64, low: f64) -> (f64, f64) {
    let s = high + low;
    if !is_zero_scaled(s, high.abs() + low.abs()) {
        let t = 4.0 * (high - low) / s;
        (high * (1.0 + t), low * (1.0 - t))
    } else {
        (high, low)
    }
}

/// ACCBANDS: [upperband, middleband, lowerband].
pub fn accbands(high: &[f64], low: &[f64], close: &[f64], period: usize) -> [Vec<f64>; 3] {
    let n = high.len().min(low.len()).min(close.len());
    if period == 0 || n < period {
        return std::array::from_fn(|_| vec![f64::NAN; n]);
    }
    let p = period as f64;
    let mut outs: [Vec<f64>; 3] = std::array::from_fn(|_| {
        let mut v = Vec::with_capacity(n);
        v.resize(period - 1, f64::NAN);
        v
    });
    let (mut upper, mut middle, mut lower) = (0.0, 0.0, 0.0);
    // ring[j] holds the mapped values of the bar at j modulo `period`.
    let mut ring = vec![(0.0, 0.0); period];
    for i in 0..period - 1 {
        let (u, l) = mapped(high[i], low[i]);
        ring[i] = (u, l);
        upper += u;
        lower += l;
        middle += close[i];
    }
    let mut slot = period - 1;
    for today in period - 1..n {
        let (u, l) = mapped(high[today], low[today]);
        ring[slot] = (u, l);
        upper += u;
        lower += l;
        middle += close[today];
        let (su, sm, sl) = (upper, middle, lower);
        slot = if slot + 1 == period { 0 } else { slot + 1 };
        let (u, l) = ring[slot];
        upper -= u;
        lower -= l;
        middle -= close[today + 1 - period];
        outs[0].push(su / p);
        outs[1].push(sm / p);
        outs[2].push(sl / p);
    }
    outs
}
