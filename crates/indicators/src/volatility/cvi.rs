//! CVI — Chaikin's volatility, TA-Lib-exact: E = TA-Lib's EMA of `high − low` (seeded
//! with the SMA of the first `period` ranges, then `fma(range − E, k, E)`), and
//! CVI = 100 · (E − E[roc bars back]) / E[roc bars back], 0 where that lagged E is 0.

use crate::math::{nan_vec, per_to_k, with_lookback, Ring};

/// Bars before the first value.
pub fn cvi_lookback(period: usize, roc_period: usize) -> usize {
    period.saturating_sub(1) + roc_period.max(1)
}

/// CVI over high/low.
pub fn cvi(high: &[f64], low: &[f64], period: usize, roc_period: usize) -> Vec<f64> {
    let n = high.len();
    let (period, roc_period) = (period.max(1), roc_period.max(1));
    let lb = cvi_lookback(period, roc_period);
    if n <= lb {
        return nan_vec(n);
    }
    let k = per_to_k(period);
    let mut sum = 0.0;
    for i in 0..period {
        sum += high[i] - low[i];
    }
    let mut ema = sum / period as f64;
    // The last `roc_period` EMA values, oldest at `slot` (TA-Lib's ring).
    let mut lagged = vec![0.0; roc_period];
    lagged[0] = ema;
    for (i, slot) in (period..lb).zip(1..) {
        ema = ((high[i] - low[i]) - ema).mul_add(k, ema);
        lagged[slot] = ema;
    }
    let mut slot = 0;
    let ranges = high[lb..].iter().zip(&low[lb..]).map(|(&h, &l)| h - l);
    with_lookback(
        n,
        lb,
        ranges.map(|r| {
            ema = (r - ema).mul_add(k, ema);
            let old = std::mem::replace(&mut lagged[slot], ema);
            slot += 1;
            if slot == roc_period {
                slot = 0;
            }
            if old != 0.0 {
                100.0 * ((ema - old) / old)
            } else {
                0.0
            }
        }),
    )
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
