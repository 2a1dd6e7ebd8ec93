//! EMA, DEMA and TEMA — exponential moving averages, TA-Lib-exact.
//!
//! EMA is seeded with the SMA of its first `period` values (TA-Lib's default
//! compatibility), then `ema = (x - ema) * k + ema` with `k = 2 / (period + 1)`, in that
//! order, fused into one multiply-add as TA-Lib 0.8's FMA build fuses it. DEMA = 2·EMA − EMA(EMA); TEMA = EMA³ + (3·EMA − 3·EMA²).

use crate::math::{nan_vec, per_to_k, with_lookback};

/// Bars before the first EMA value.
pub fn ema_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// EMA over `real`; NaN inside the lookback.
pub fn ema(real: &[f64], period: usize) -> Vec<f64> {
    ema_with_k(real, period, per_to_k(period))
}

/// EMA with an explicit smoothing factor (MACD and TRIX pass TA-Lib's own).
pub(crate) fn ema_with_k(real: &[f64], period: usize, k: f64) -> Vec<f64> {
    let n = real.len();
    if period == 0 || n < period {
        return nan_vec(n);
    }
    let mut sum = 0.0;
    for &x in &real[..period] {
        sum += x;
    }
    let mut prev = sum / period as f64;
    let seed = std::iter::once(prev);
    with_lookback(
        n,
        period - 1,
        seed.chain(real[period..].iter().map(move |&x| {
            prev = (x - prev).mul_add(k, prev);
            prev
        })),
    )
}

/// Bars before the first DEMA value.
pub fn dema_lookback(period: usize) -> usize {
    2 * ema_lookback(period)
}

/// DEMA = 2·EMA(x) − EMA(EMA(x)).
pub fn dema(real: &[f64], period: usize) -> Vec<f64> {
    // One pass through the streaming state: no intermediate EMA vectors to allocate.
    let mut state = Dema::new(period);
    real.iter().map(|&x| state.next(x).unwrap_or(f64::NAN)).collect()
}

/// Bars before the first TEMA value.
pub fn tema_lookback(period: usize) -> usize {
    3 * ema_lookback(period)
}

/// TEMA = EMA³ + (3·EMA − 3·EMA²), summed in TA-Lib's order.
pub fn tema(real: &[f64], period: usize) -> Vec<f64> {
    let period = period.max(1);
    let first = tema_lookback(period);
    let k = per_to_k(period);
    let Some((mut e1, mut e2, mut e3)) = triple_ema_seed(real, period, k) else {
        return nan_vec(real.len());
    };
    let seed = std::iter::once(e3 + ((3.0 * e1) - (3.0 * e2)));
    with_lookback(
        real.len(),
        first,
        seed.chain(real[first + 1..].iter().map(move |&x| {
            e1 = (x - e1).mul_add(k, e1);
            e2 = (e1 - e2).mul_add(k, e2);
            e3 = (e2 - e3).mul_add(k, e3);
            e3 + ((3.0 * e1) - (3.0 * e2))
        })),
    )
}

/// Three chained EMA states (each fed the one before) seeded through bar
/// `3·(period − 1)`, the first bar at which all three have a value: their values there.
/// TEMA and TRIX continue from these in plain registers, without the per-bar seeding
/// checks of the streaming states; the numbers are the same. `None` when `real` is
/// shorter.
pub(crate) fn triple_ema_seed(real: &[f64], period: usize, k: f64) -> Option<(f64, f64, f64)> {
    let last = 3 * period.max(1).saturating_sub(1);
    let (mut s1, mut s2, mut s3) = (Ema::with_k(period, k), Ema::with_k(period, k), Ema::with_k(period, k));
    let mut seeded = None;
    for &x in real.get(..=last)? {
        if let Some(a) = s1.next(x) {
            if let Some(b) = s2.next(a) {
                if let Some(c) = s3.next(b) {
                    seeded = Some((a, b, c));
                }
            }
        }
    }
    seeded
}

/// Streaming EMA: one value in, O(1); the same numbers as [`ema`].
#[derive(Debug, Clone)]
pub struct Ema {
    period: usize,
    k: f64,
    seen: usize,
    value: f64,
}

impl Ema {
    /// A fresh EMA of `period` (>= 1).
    pub fn new(period: usize) -> Self {
        Self::with_k(period, per_to_k(period))
    }

    pub(crate) fn with_k(period: usize, k: f64) -> Self {
        Self { period: period.max(1), k, seen: 0, value: 0.0 }
    }

    /// Takes the next value; returns the EMA once seeded.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        if self.seen < self.period {
            self.value += x;
            self.seen += 1;
            if self.seen < self.period {
                return None;
            }
            self.value /= self.period as f64;
            return Some(self.value);
        }
        self.value = (x - self.value).mul_add(self.k, self.value);
        Some(self.value)
    }
}

/// Streaming DEMA.
#[derive(Debug, Clone)]
pub struct Dema {
    first: Ema,
    second: Ema,
}

impl Dema {
    /// A fresh DEMA of `period`.
    pub fn new(period: usize) -> Self {
        Self { first: Ema::new(period), second: Ema::new(period) }
    }

    /// Takes the next value.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        let e1 = self.first.next(x)?;
        let e2 = self.second.next(e1)?;
        Some((2.0 * e1) - e2)
    }
}

/// Streaming TEMA.
#[derive(Debug, Clone)]
pub struct Tema {
    first: Ema,
    second: Ema,
    third: Ema,
}

impl Tema {
    /// A fresh TEMA of `period`.
    pub fn new(period: usize) -> Self {
        Self { first: Ema::new(period), second: Ema::new(period), third: Ema::new(period) }
    }

    /// Takes the next value.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        let e1 = self.first.next(x)?;
        let e2 = self.second.next(e1)?;
        let e3 = self.third.next(e2)?;
        Some(e3 + ((3.0 * e1) - (3.0 * e2)))
    }
}
