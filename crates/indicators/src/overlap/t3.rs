//! T3 — Tillson's triple-smoothed "generalized DEMA" (TA-Lib's `TA_T3`), bit-exact.
//!
//! Six chained EMAs `e1..e6` of factor `k = 2 / (period + 1)`, each seeded with the mean
//! of its first `period` inputs, combined as `c1·e6 + c2·e5 + c3·e4 + c4·e3` with the
//! coefficients of the volume factor `v`. Each EMA step is
//! `(1 − k)·e + k·x`, the accumulator product fused (TA-Lib's FMA build), and the
//! combination fuses its products from the right, as TA-Lib's does.

use crate::math::{nan_vec, with_lookback};

/// Bars before the first T3 value (the volume factor does not change it).
pub fn t3_lookback(period: usize) -> usize {
    6 * period.saturating_sub(1)
}

#[inline(always)]
fn step(k: f64, one_minus_k: f64, input: f64, e: f64) -> f64 {
    one_minus_k.mul_add(e, k * input)
}

/// T3 over `real` with volume factor `vfactor`; NaN inside the lookback. A period of 1
/// is the input.
pub fn t3(real: &[f64], period: usize, vfactor: f64) -> Vec<f64> {
    let n = real.len();
    let lookback = t3_lookback(period);
    if period == 0 || n <= lookback {
        return nan_vec(n);
    }
    if period == 1 {
        return real.to_vec();
    }
    let k = 2.0 / (period as f64 + 1.0);
    let omk = 1.0 - k;
    let p = period as f64;
    let mut today = 0;
    let mut next = || {
        let x = real[today];
        today += 1;
        x
    };
    // Each stage is seeded with the mean of its first `period` inputs, the stages
    // before it running meanwhile.
    let mut total = next();
    for _ in 1..period {
        total += next();
    }
    let mut e1 = total / p;
    total = e1;
    for _ in 1..period {
        e1 = step(k, omk, next(), e1);
        total += e1;
    }
    let mut e2 = total / p;
    total = e2;
    for _ in 1..period {
        e1 = step(k, omk, next(), e1);
        e2 = step(k, omk, e1, e2);
        total += e2;
    }
    let mut e3 = total / p;
    total = e3;
    for _ in 1..period {
        e1 = step(k, omk, next(), e1);
        e2 = step(k, omk, e1, e2);
        e3 = step(k, omk, e2, e3);
        total += e3;
    }
    let mut e4 = total / p;
    total = e4;
    for _ in 1..period {
        e1 = step(k, omk, next(), e1);
        e2 = step(k, omk, e1, e2);
        e3 = step(k, omk, e2, e3);
        e4 = step(k, omk, e3, e4);
        total += e4;
    }
    let mut e5 = total / p;
    total = e5;
    for _ in 1..period {
        e1 = step(k, omk, next(), e1);
        e2 = step(k, omk, e1, e2);
        e3 = step(k, omk, e2, e3);
        e4 = step(k, omk, e3, e4);
        e5 = step(k, omk, e4, e5);
        total += e5;
    }
    let mut e6 = total / p;
    debug_assert_eq!(today, lookback + 1);

    let v2 = vfactor * vfactor;
    let c1 = -(v2 * vfactor);
    let c2 = 3.0 * (v2 - c1);
    let c3 = -6.0 * v2 - 3.0 * (vfactor - c1);
    let c4 = 3.0f64.mul_add(v2, 3.0f64.mul_add(vfactor, 1.0) - c1);
    let combine = move |e3: f64, e4: f64, e5: f64, e6: f64| c4.mul_add(e3, c3.mul_add(e4, c1.mul_add(e6, c2 * e5)));

    let first = combine(e3, e4, e5, e6);
    with_lookback(
        n,
        lookback,
        std::iter::once(first).chain(real[lookback + 1..].iter().map(move |&x| {
            e1 = step(k, omk, x, e1);
            e2 = step(k, omk, e1, e2);
            e3 = step(k, omk, e2, e3);
            e4 = step(k, omk, e3, e4);
            e5 = step(k, omk, e4, e5);
            e6 = step(k, omk, e5, e6);
            combine(e3, e4, e5, e6)
        })),
    )
}

/// One of T3's six EMA stages: seeded with the mean of its first `period` inputs.
#[derive(Debug, Clone)]
struct Stage {
    seen: usize,
    value: f64,
}

/// Streaming T3: one value in, O(1); the same numbers as [`t3`].
#[derive(Debug, Clone)]
pub struct T3 {
    period: usize,
    k: f64,
    one_minus_k: f64,
    coefficients: [f64; 4],
    stages: [Stage; 6],
}

impl T3 {
    /// A fresh T3 of `period` (>= 1; 1 passes the input through) and volume factor
    /// `vfactor`.
    pub fn new(period: usize, vfactor: f64) -> Self {
        let period = period.max(1);
        let k = 2.0 / (period as f64 + 1.0);
        let v2 = vfactor * vfactor;
        let c1 = -(v2 * vfactor);
        let c2 = 3.0 * (v2 - c1);
        let c3 = -6.0 * v2 - 3.0 * (vfactor - c1);
        let c4 = 3.0f64.mul_add(v2, 3.0f64.mul_add(vfactor, 1.0) - c1);
        Self {
            period,
            k,
            one_minus_k: 1.0 - k,
            coefficients: [c1, c2, c3, c4],
            stages: std::array::from_fn(|_| Stage { seen: 0, value: 0.0 }),
        }
    }

    /// Takes the next value; returns the T3 once all six stages are seeded.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        if self.period == 1 {
            return Some(x);
        }
        let mut input = x;
        for stage in &mut self.stages {
            if stage.seen < self.period {
                stage.value = if stage.seen == 0 { input } else { stage.value + input };
                stage.seen += 1;
                if stage.seen < self.period {
                    return None;
                }
                stage.value /= self.period as f64;
            } else {
                stage.value = step(self.k, self.one_minus_k, input, stage.value);
            }
            input = stage.value;
        }
        let [c1, c2, c3, c4] = self.coefficients;
        let e = |i: usize| self.stages[i].value;
        Some(c4.mul_add(e(2), c3.mul_add(e(3), c1.mul_add(e(5), c2 * e(4)))))
    }
}
