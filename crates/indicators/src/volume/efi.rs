//! EFI — Elder's force index, TA-Lib-exact: force = (close − previous close) · volume,
//! smoothed by TA-Lib's EMA (seeded with the SMA of the first `period` forces, then
//! `fma(force − ema, k, ema)`); period 1 is the raw force.

use crate::math::{nan_vec, with_lookback};

/// Bars before the first value: one bar for the first change, then the EMA's.
pub fn efi_lookback(period: usize) -> usize {
    period.max(1)
}

/// EFI over close/volume.
pub fn efi(close: &[f64], volume: &[f64], period: usize) -> Vec<f64> {
    let n = close.len();
    let period = period.max(1);
    if n <= period {
        return nan_vec(n);
    }
    let force = |(&c, (&prev, &v)): (&f64, (&f64, &f64))| (c - prev) * v;
    let forces = |from: usize| close[from..].iter().zip(close[from - 1..].iter().zip(&volume[from..])).map(force);
    if period == 1 {
        return with_lookback(n, 1, forces(1));
    }
    let k = 2.0 / (period + 1) as f64;
    let mut sum = 0.0;
    for f in forces(1).take(period) {
        sum += f;
    }
    let mut ema = sum / period as f64;
    let seed = std::iter::once(ema);
    with_lookback(
        n,
        period,
        seed.chain(forces(period + 1).map(move |f| {
            ema = (f - ema).mul_add(k, ema);
            ema
        })),
    )
}

/// Streaming EFI: one bar in, O(1); the same numbers as [`efi`].
#[derive(Debug, Clone)]
pub struct Efi {
    period: usize,
    k: f64,
    seen: usize,
    prev_close: f64,
    value: f64,
}

impl Efi {
    /// A fresh EFI of `period` (>= 1).
    pub fn new(period: usize) -> Self {
        let period = period.max(1);
        Self { period, k: 2.0 / (period + 1) as f64, seen: 0, prev_close: 0.0, value: 0.0 }
    }

    /// Takes the next bar's close and volume; returns the index from bar `period` on.
    #[inline]
    pub fn next(&mut self, close: f64, volume: f64) -> Option<f64> {
        let seen = self.seen;
        self.seen += 1;
        let prev_close = std::mem::replace(&mut self.prev_close, close);
        if seen == 0 {
            return None;
        }
        let force = (close - prev_close) * volume;
        let p = self.period;
        if p == 1 {
            return Some(force);
        }
        if seen < p {
            self.value += force;
            return None;
        }
        if seen == p {
            self.value += force;
            self.value /= p as f64;
        } else {
            self.value = (force - self.value).mul_add(self.k, self.value);
        }
        Some(self.value)
    }
}
