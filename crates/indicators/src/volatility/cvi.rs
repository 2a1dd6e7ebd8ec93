//! CVI — Chaikin's volatility, TA-Lib-exact: E = TA-Lib's EMA of `high − low` (seeded
//! with the SMA of the first `period` ranges, then `fma(range − E, k, E)`), and
//! CVI = 100 · (E − E[roc bars back]) / E[roc bars back], 0 where that lagged E is 0.

use crate::math::{nan_vec, per_to_k, Ring};

/// Bars before the first value.
pub fn cvi_lookback(period: usize, roc_period: usize) -> usize {
    period.saturating_sub(1) + roc_period
}

/// CVI over high/low.
pub fn cvi(high: &[f64], low: &[f64], period: usize, roc_period: usize) -> Vec<f64> {
    let n = high.len();
    let period = period.max(1);
    let lb = cvi_lookback(period, roc_period);
    if n <= lb {
        return nan_vec(n);
    }
    let k = per_to_k(period);
    // The EMA goes into `out` first (from its seed bar on); each CVI value then
    // replaces its bar's EMA, last bar first, so the lagged EMA it reads is still there.
    let mut out = nan_vec(n);
    let mut sum = 0.0;
    for i in 0..period {
        sum += high[i] - low[i];
    }
    let mut ema = sum / period as f64;
    out[period - 1] = ema;
    for i in period..n {
        ema = ((high[i] - low[i]) - ema).mul_add(k, ema);
        out[i] = ema;
    }
    for t in (lb..n).rev() {
        let lagged = out[t - roc_period];
        out[t] = if lagged != 0.0 { 100.0 * ((out[t] - lagged) / lagged) } else { 0.0 };
    }
    for v in &mut out[period - 1..lb] {
        *v = f64::NAN;
    }
    out
}

/// Streaming CVI: one bar in, O(1); the same numbers as [`cvi`].
#[derive(Debug, Clone)]
pub struct Cvi {
    period: usize,
    k: f64,
    seen: usize,
    ema: f64,
    lagged: Ring,
}

impl Cvi {
    /// A fresh CVI of the EMA `period` (>= 2) and `roc_period` (>= 1).
    pub fn new(period: usize, roc_period: usize) -> Self {
        let period = period.max(1);
        Self { period, k: per_to_k(period), seen: 0, ema: 0.0, lagged: Ring::new(roc_period.max(1)) }
    }

    /// Takes the next bar's high and low; returns the CVI once past the lookback.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64) -> Option<f64> {
        let range = high - low;
        self.seen += 1;
        if self.seen < self.period {
            self.ema += range;
            return None;
        }
        if self.seen == self.period {
            self.ema += range;
            self.ema /= self.period as f64;
        } else {
            self.ema = (range - self.ema).mul_add(self.k, self.ema);
        }
        let out = self.lagged.is_full().then(|| {
            let lagged = self.lagged.oldest();
            if lagged != 0.0 {
                100.0 * ((self.ema - lagged) / lagged)
            } else {
                0.0
            }
        });
        self.lagged.push(self.ema);
        out
    }
}
