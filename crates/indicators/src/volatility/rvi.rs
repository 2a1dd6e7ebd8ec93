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
    stddev_period.saturating_sub(1) + period.saturating_sub(1)
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
    for t in lb + 1..n {
        let sigma = out[t].sqrt();
        let delta = real[t] - real[t - 1];
        let (u, d) = if delta > 0.0 {
            (sigma, 0.0)
        } else if delta < 0.0 {
            (0.0, sigma)
        } else {
            (0.0, 0.0)
        };
        up = beta.mul_add(up, alpha * u);
        dn = beta.mul_add(dn, alpha * d);
        out[t] = finish(up, dn);
    }
    out[lb] = seed;
    for v in &mut out[first..lb] {
        *v = f64::NAN;
    }
    out
}
