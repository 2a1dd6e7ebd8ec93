//! RVI — Dorsey's relative volatility index, TA-Lib-exact: σ = the population standard
//! deviation of the last `stddev_period` values (TA-Lib's VAR step, begun at the first
//! bar), fed to an up leg on a rising bar and a down leg on a falling one; each leg is
//! Wilder-smoothed (seeded with the mean of its first `period` values, then
//! `fma(β, leg, α·x)` with β = (p − 1)/p, α = 1 − β), and RVI = 100 · up / (up + down),
//! 50 where both are 0.

use super::stddev::variance_from;
use crate::math::nan_vec;

/// Bars before the first value.
pub fn rvi_lookback(period: usize, stddev_period: usize) -> usize {
    stddev_period.max(2) - 1 + period.saturating_sub(1)
}

/// RVI over `real`.
pub fn rvi(real: &[f64], period: usize, stddev_period: usize) -> Vec<f64> {
    let n = real.len();
    let (period, sp) = (period.max(1), stddev_period.max(2));
    let lb = rvi_lookback(period, sp);
    if n <= lb {
        return nan_vec(n);
    }
    let beta = (period - 1) as f64 / period as f64;
    let alpha = 1.0 - beta;
    let first = sp - 1;
    // The variances go into `out`; each bar's RVI then replaces its variance.
    let mut out = variance_from(real, sp, first);
    let (mut up, mut dn) = (0.0, 0.0);
    for t in first..first + period {
        let sigma = out[t].sqrt();
        let delta = real[t] - real[t - 1];
        if delta > 0.0 {
            up += sigma;
        } else if delta < 0.0 {
            dn += sigma;
        }
    }
    up /= period as f64;
    dn /= period as f64;
    let finish = |up: f64, dn: f64| {
        let total = up + dn;
        if total == 0.0 {
            50.0
        } else {
            100.0 * (up / total)
        }
    };
    let seed = finish(up, dn);
    let bars = out[lb + 1..].iter_mut().zip(&real[lb + 1..]).zip(&real[lb..]);
    for ((o, &x), &prev) in bars {
        let sigma = o.sqrt();
        let delta = x - prev;
        // Two independent selects (the sign of a random walk's step defeats a branch).
        let u = if delta > 0.0 { sigma } else { 0.0 };
        let d = if delta < 0.0 { sigma } else { 0.0 };
        up = beta.mul_add(up, alpha * u);
        dn = beta.mul_add(dn, alpha * d);
        *o = finish(up, dn);
    }
    out[lb] = seed;
    for v in &mut out[first..lb] {
        *v = f64::NAN;
    }
    out
}

/// TA-Lib's VAR step over a stream (the same numbers as `variance_from` begun at the
/// first bar): shifted running sums, re-centred on the window mean on the same triggers.
#[derive(Debug, Clone)]
struct StreamVar {
    period: usize,
    r: f64,
    window: Vec<f64>,
    pos: usize,
    seen: usize,
    shift: f64,
    s1: f64,
    s2: f64,
    countdown: usize,
}

impl StreamVar {
    fn new(period: usize) -> Self {
        let period = period.max(1);
        Self {
            period,
            r: 1.0 / period as f64,
            window: vec![0.0; period],
            pos: 0,
            seen: 0,
            shift: 0.0,
            s1: 0.0,
            s2: 0.0,
            countdown: 32 * period,
        }
    }

    /// Takes the next value; the population variance of the last `period` values once
    /// there are that many.
    #[inline]
    fn next(&mut self, x: f64) -> Option<f64> {
        let p = self.period;
        if self.seen == 0 {
            self.shift = x;
        }
        self.seen += 1;
        // After this store the window holds the last `p` values, oldest at `pos`.
        self.window[self.pos] = x;
        self.pos = if self.pos + 1 == p { 0 } else { self.pos + 1 };
        let d = x - self.shift;
        self.s1 += d;
        self.s2 += d * d;
        if self.seen < p {
            return None;
        }
        let r = self.r;
        let m = r * self.s1;
        let mut var = r * self.s2 - m * m;
        let oldest = self.window[self.pos];
        let t = oldest - self.shift;
        let t2 = t * t;
        self.s2 -= t2;
        let cancelled = (r * self.s2 * 1e-6).partial_cmp(&var) == Some(std::cmp::Ordering::Greater);
        let recentre = cancelled || t2 > self.s2 * 1e6 || {
            self.countdown -= 1;
            self.countdown == 0
        };
        if recentre {
            let (newer, older) = self.window.split_at(self.pos);
            let mut sum = 0.0;
            for &v in older.iter().chain(newer) {
                sum += v;
            }
            self.shift = sum * r;
            let (mut s1, mut s2) = (0.0, 0.0);
            for &v in older.iter().chain(newer) {
                let d = v - self.shift;
                s1 += d;
                s2 += d * d;
            }
            let m = r * s1;
            let scaled = r * s2;
            var = scaled - m * m;
            if var.partial_cmp(&(scaled * 1e-12)).is_none_or(|o| o == std::cmp::Ordering::Less) {
                var = 0.0;
            }
            let t = oldest - self.shift;
            self.s1 = s1 - t;
            self.s2 = s2 - t * t;
            self.countdown = 32 * p;
        } else {
            self.s1 -= t;
        }
        Some(var)
    }
}

/// Streaming RVI: one value in, O(1) (O(stddev_period) on a re-centring bar, as in
/// TA-Lib); the same numbers as [`rvi`].
#[derive(Debug, Clone)]
pub struct Rvi {
    period: usize,
    beta: f64,
    alpha: f64,
    var: StreamVar,
    seeded: usize,
    prev: f64,
    up: f64,
    dn: f64,
}

impl Rvi {
    /// A fresh RVI of the smoothing `period` (>= 1) and `stddev_period` (>= 2).
    pub fn new(period: usize, stddev_period: usize) -> Self {
        let period = period.max(1);
        let beta = (period - 1) as f64 / period as f64;
        Self {
            period,
            beta,
            alpha: 1.0 - beta,
            var: StreamVar::new(stddev_period.max(2)),
            seeded: 0,
            prev: 0.0,
            up: 0.0,
            dn: 0.0,
        }
    }

    /// Takes the next value; returns the RVI once past the lookback.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<f64> {
        let prev = std::mem::replace(&mut self.prev, x);
        let sigma = self.var.next(x)?.sqrt();
        let delta = x - prev;
        // Two independent selects (the sign of a random walk's step defeats a branch).
        let u = if delta > 0.0 { sigma } else { 0.0 };
        let d = if delta < 0.0 { sigma } else { 0.0 };
        let p = self.period;
        if self.seeded < p {
            self.up += u;
            self.dn += d;
            self.seeded += 1;
            if self.seeded < p {
                return None;
            }
            self.up /= p as f64;
            self.dn /= p as f64;
        } else {
            self.up = self.beta.mul_add(self.up, self.alpha * u);
            self.dn = self.beta.mul_add(self.dn, self.alpha * d);
        }
        let total = self.up + self.dn;
        Some(if total == 0.0 { 50.0 } else { 100.0 * (self.up / total) })
    }
}
