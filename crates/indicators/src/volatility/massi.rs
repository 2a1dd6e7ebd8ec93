//! MASSI — Dorsey's mass index, TA-Lib-exact: E1 = EMA(high − low), E2 = EMA(E1) (each
//! TA-Lib's EMA: seeded with the SMA of its first `fast` inputs, then
//! `fma(x − E, k, E)`), and the sum of E1 / E2 over `slow` bars (1 where E2 is 0),
//! carried as TA-Lib's SUM carries it.

use crate::math::{nan_vec, per_to_k, with_lookback, Ring};

/// Bars before the first value.
pub fn massi_lookback(fast: usize, slow: usize) -> usize {
    2 * fast.saturating_sub(1) + slow.saturating_sub(1)
}

/// MASSI over high/low.
pub fn massi(high: &[f64], low: &[f64], fast: usize, slow: usize) -> Vec<f64> {
    let n = high.len();
    let (fast, slow) = (fast.max(1), slow.max(1));
    let lb = massi_lookback(fast, slow);
    if n <= lb {
        return nan_vec(n);
    }
    let lb_ema = fast - 1;
    let k = per_to_k(fast);
    let fp = fast as f64;
    let (mut ema1, mut ema2, mut sum1, mut sum2, mut total) = (0.0, 0.0, 0.0, 0.0, 0.0);
    // The window's ratios, oldest at `slot` once full (TA-Lib's ring).
    let mut ratios = vec![0.0; slow];
    let mut slot = 0;
    let mut first = f64::NAN;
    // Warm-up, through the first output: the two EMAs seed one after the other.
    for i in 0..=lb {
        let hl = high[i] - low[i];
        if i < fast {
            sum1 += hl;
            if i == fast - 1 {
                ema1 = sum1 / fp;
            }
        } else {
            ema1 = (hl - ema1).mul_add(k, ema1);
        }
        if i < lb_ema {
            continue;
        }
        let n2 = i - lb_ema;
        if n2 < fast {
            sum2 += ema1;
            if n2 == fast - 1 {
                ema2 = sum2 / fp;
            }
        } else {
            ema2 = (ema1 - ema2).mul_add(k, ema2);
        }
        if i < 2 * lb_ema {
            continue;
        }
        ratios[slot] = if ema2 == 0.0 { 1.0 } else { ema1 / ema2 };
        total += ratios[slot];
        slot += 1;
        if slot == slow {
            slot = 0;
        }
        if i == lb {
            first = total;
            total -= ratios[slot];
        }
    }
    let ranges = high[lb + 1..].iter().zip(&low[lb + 1..]).map(|(&h, &l)| h - l);
    with_lookback(
        n,
        lb,
        std::iter::once(first).chain(ranges.map(|hl| {
            ema1 = (hl - ema1).mul_add(k, ema1);
            ema2 = (ema1 - ema2).mul_add(k, ema2);
            let ratio = if ema2 == 0.0 { 1.0 } else { ema1 / ema2 };
            ratios[slot] = ratio;
            total += ratio;
            slot += 1;
            if slot == slow {
                slot = 0;
            }
            let sum = total;
            total -= ratios[slot];
            sum
        })),
    )
}

/// Streaming MASSI: one bar in, O(1); the same numbers as [`massi`].
#[derive(Debug, Clone)]
pub struct Massi {
    fast: usize,
    lookback: usize,
    k: f64,
    seen: usize,
    sum1: f64,
    sum2: f64,
    ema1: f64,
    ema2: f64,
    total: f64,
    ratios: Ring,
}

impl Massi {
    /// A fresh MASSI of the EMA period `fast` and the summation period `slow` (both >= 2).
    pub fn new(fast: usize, slow: usize) -> Self {
        let (fast, slow) = (fast.max(1), slow.max(1));
        Self {
            fast,
            lookback: massi_lookback(fast, slow),
            k: per_to_k(fast),
            seen: 0,
            sum1: 0.0,
            sum2: 0.0,
            ema1: 0.0,
            ema2: 0.0,
            total: 0.0,
            ratios: Ring::new(slow),
        }
    }

    /// Takes the next bar's high and low; returns the index once past the lookback.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64) -> Option<f64> {
        let i = self.seen;
        self.seen += 1;
        let (fast, k) = (self.fast, self.k);
        let hl = high - low;
        if i < fast {
            self.sum1 += hl;
            if i == fast - 1 {
                self.ema1 = self.sum1 / fast as f64;
            }
        } else {
            self.ema1 = (hl - self.ema1).mul_add(k, self.ema1);
        }
        let lb_ema = fast - 1;
        if i < lb_ema {
            return None;
        }
        let n2 = i - lb_ema;
        if n2 < fast {
            self.sum2 += self.ema1;
            if n2 == fast - 1 {
                self.ema2 = self.sum2 / fast as f64;
            }
        } else {
            self.ema2 = (self.ema1 - self.ema2).mul_add(k, self.ema2);
        }
        if i < 2 * lb_ema {
            return None;
        }
        let ratio = if self.ema2 == 0.0 { 1.0 } else { self.ema1 / self.ema2 };
        self.ratios.push(ratio);
        self.total += ratio;
        if i < self.lookback {
            return None;
        }
        let out = self.total;
        self.total -= self.ratios.oldest();
        Some(out)
    }
}
