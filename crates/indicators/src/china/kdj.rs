//! KDJ — the stochastic as Chinese trading software draws it (MyTT):
//! RSV = (C − LLV(L, n)) / (HHV(H, n) − LLV(L, n)) · 100; K = EMA(RSV, 2·m1 − 1);
//! D = EMA(K, 2·m2 − 1); J = 3K − 2D, with pandas' EMA (alpha 1/m).

use super::pandas::{rolling_high_low, span_alpha, EwmMean};
use crate::math::Ring;

/// Bars before the first value (MyTT's first non-NaN).
pub fn kdj_lookback(n: usize) -> usize {
    n.saturating_sub(1)
}

/// `[k, d, j]`.
pub fn kdj(high: &[f64], low: &[f64], close: &[f64], n: usize, m1: usize, m2: usize) -> [Vec<f64>; 3] {
    let (hh, ll) = rolling_high_low(high, low, n);
    let mut k_ewm = EwmMean::new(span_alpha((2 * m1 - 1) as f64));
    let mut d_ewm = EwmMean::new(span_alpha((2 * m2 - 1) as f64));
    let len = close.len();
    let (mut k, mut d, mut j) = (Vec::with_capacity(len), Vec::with_capacity(len), Vec::with_capacity(len));
    for i in 0..len {
        let rsv = (close[i] - ll[i]) / (hh[i] - ll[i]) * 100.0;
        let kv = k_ewm.next(rsv);
        let dv = d_ewm.next(kv);
        k.push(kv);
        d.push(dv);
        j.push(kv * 3.0 - dv * 2.0);
    }
    [k, d, j]
}

/// Streaming KDJ: one bar in, O(n) for the window extremes; the same numbers as [`kdj`].
#[derive(Debug, Clone)]
pub struct Kdj {
    highs: Ring,
    lows: Ring,
    k: EwmMean,
    d: EwmMean,
}

impl Kdj {
    /// A fresh state (n, m1, m2 >= 1).
    pub fn new(n: usize, m1: usize, m2: usize) -> Self {
        Self {
            highs: Ring::new(n),
            lows: Ring::new(n),
            k: EwmMean::new(span_alpha((2 * m1.max(1) - 1) as f64)),
            d: EwmMean::new(span_alpha((2 * m2.max(1) - 1) as f64)),
        }
    }

    /// Takes the next bar; returns `(k, d, j)` from bar n−1 on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<(f64, f64, f64)> {
        self.highs.push(high);
        self.lows.push(low);
        if !self.highs.is_full() {
            return None;
        }
        let hh = self.highs.values().iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let ll = self.lows.values().iter().copied().fold(f64::INFINITY, f64::min);
        let rsv = (close - ll) / (hh - ll) * 100.0;
        let k = self.k.next(rsv);
        let d = self.d.next(k);
        Some((k, d, k * 3.0 - d * 2.0))
    }
}
