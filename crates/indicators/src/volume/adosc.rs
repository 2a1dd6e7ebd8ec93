//! ADOSC — Chaikin A/D oscillator, TA-Lib-exact: EMA(fast) − EMA(slow) of the
//! accumulation/distribution line, both EMAs seeded with the first bar's A/D value and
//! stepped as `k·ad + (1 − k)·ema` (not the `(x − ema)·k + ema` of TA-Lib's EMA), fused
//! as TA-Lib 0.8's FMA build fuses it: `fma(1 − k, ema, k·ad)`. The A/D accumulation is
//! [`Ad`]'s.

use super::ad::Ad;
use crate::math::{nan_vec, with_lookback};

/// Bars before the first value: the EMA lookback of the slower period.
pub fn adosc_lookback(fast: usize, slow: usize) -> usize {
    fast.max(slow).saturating_sub(1)
}

/// ADOSC over high/low/close/volume. `fast` is always the first EMA, even when it is
/// the slower one (as in TA-Lib).
pub fn adosc(high: &[f64], low: &[f64], close: &[f64], volume: &[f64], fast: usize, slow: usize) -> Vec<f64> {
    let n = close.len();
    let lb = adosc_lookback(fast, slow);
    if n <= lb {
        return nan_vec(n);
    }
    let fk = 2.0 / (fast as f64 + 1.0);
    let fk1 = 1.0 - fk;
    let sk = 2.0 / (slow as f64 + 1.0);
    let sk1 = 1.0 - sk;
    let mut ad = Ad::new();
    let first = ad.next(high[0], low[0], close[0], volume[0]);
    let (mut fast_ema, mut slow_ema) = (first, first);
    // Warm-up: bars 1 .. lb step the EMAs without output.
    for i in 1..lb {
        let a = ad.next(high[i], low[i], close[i], volume[i]);
        fast_ema = fk1.mul_add(fast_ema, fk * a);
        slow_ema = sk1.mul_add(slow_ema, sk * a);
    }
    let from = lb.max(1);
    let bars = high[from..].iter().zip(&low[from..]).zip(close[from..].iter().zip(&volume[from..]));
    let values = bars.map(move |((&h, &l), (&c, &v))| {
        let a = ad.next(h, l, c, v);
        fast_ema = fk1.mul_add(fast_ema, fk * a);
        slow_ema = sk1.mul_add(slow_ema, sk * a);
        fast_ema - slow_ema
    });
    if lb == 0 {
        // Periods of 1, which TA-Lib refuses: the seed bar's oscillator is 0.
        return with_lookback(n, 0, std::iter::once(0.0).chain(values));
    }
    with_lookback(n, lb, values)
}

/// Streaming ADOSC: one bar in, O(1); the same numbers as [`adosc`].
#[derive(Debug, Clone)]
pub struct Adosc {
    ad: Ad,
    fk: f64,
    fk1: f64,
    sk: f64,
    sk1: f64,
    lookback: usize,
    seen: usize,
    fast_ema: f64,
    slow_ema: f64,
}

impl Adosc {
    /// A fresh ADOSC of the `fast` and `slow` EMA periods (>= 2 in TA-Lib).
    pub fn new(fast: usize, slow: usize) -> Self {
        let fk = 2.0 / (fast as f64 + 1.0);
        let sk = 2.0 / (slow as f64 + 1.0);
        Self {
            ad: Ad::new(),
            fk,
            fk1: 1.0 - fk,
            sk,
            sk1: 1.0 - sk,
            lookback: adosc_lookback(fast, slow),
            seen: 0,
            fast_ema: 0.0,
            slow_ema: 0.0,
        }
    }

    /// Takes the next bar; returns the oscillator once past the lookback.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64, volume: f64) -> Option<f64> {
        let a = self.ad.next(high, low, close, volume);
        let seen = self.seen;
        self.seen += 1;
        if seen == 0 {
            self.fast_ema = a;
            self.slow_ema = a;
        } else {
            self.fast_ema = self.fk1.mul_add(self.fast_ema, self.fk * a);
            self.slow_ema = self.sk1.mul_add(self.slow_ema, self.sk * a);
        }
        (seen >= self.lookback).then_some(self.fast_ema - self.slow_ema)
    }
}
