//! STDDEV and VAR — population standard deviation and variance, TA-Lib-exact (TA-Lib
//! 0.8's `TA_VAR`, and its square root).
//!
//! TA-Lib 0.8 keeps shifted running sums: S1 = Σ(x − K), S2 = Σ(x − K)² with K the
//! window's first value, and var = S2/p − (S1/p)² (as multiplies by 1/p). When that
//! difference has cancelled badly (var < 1e-6·S2/p), when the value leaving the window
//! dominates (t² > 1e6·S2), or every 32·p bars, it re-centres: K becomes the window
//! mean and both sums are rebuilt; a rebuilt variance below 1e-12·S2/p is taken as 0.
//! Where the first output is matters to the last bit, so `variance_from` takes it.

use crate::math::nan_vec;

/// Bars before the first value.
pub fn stddev_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// STDDEV · nbdev over `real`; NaN inside the lookback.
pub fn stddev(real: &[f64], period: usize, nbdev: f64) -> Vec<f64> {
    let lb = stddev_lookback(period);
    let mut out = variance_from(real, period, lb);
    for v in out.iter_mut().skip(lb) {
        *v = if nbdev != 1.0 { v.sqrt() * nbdev } else { v.sqrt() };
    }
    out
}

/// VAR over `real`: the population variance (TA-Lib takes an `nbdev` and ignores it);
/// NaN inside the lookback (that of STDDEV).
pub fn var(real: &[f64], period: usize) -> Vec<f64> {
    variance_from(real, period, stddev_lookback(period))
}

/// Population variance for every bar from `start` (>= period − 1) on, with the sums
/// begun at bar `start − (period − 1)` as TA-Lib begins them.
pub(crate) fn variance_from(real: &[f64], period: usize, start: usize) -> Vec<f64> {
    let mut out = nan_vec(real.len());
    variance_into(real, period, start, &mut out);
    out
}

/// Writes the variance of every bar from `start` on into `out` (as long as `real`).
fn variance_into(real: &[f64], period: usize, start: usize, out: &mut [f64]) {
    let n = real.len();
    if period == 0 || start + 1 < period || start >= n {
        return;
    }
    let r = 1.0 / period as f64;
    let recentre_every = 32 * period;
    let mut shift = real[start + 1 - period];
    let (mut s1, mut s2) = (0.0, 0.0);
    for &x in &real[start + 1 - period..start] {
        let d = x - shift;
        s1 += d;
        s2 += d * d;
    }
    let mut countdown = recentre_every;
    let bars = real[start..].iter().zip(&real[start + 1 - period..]).zip(&mut out[start..]);
    for (trailing, ((&x, &leaving), o)) in (start + 1 - period..).zip(bars) {
        let d = x - shift;
        s1 += d;
        s2 += d * d;
        let m = r * s1;
        let mut var = r * s2 - m * m;
        let t = leaving - shift;
        let t2 = t * t;
        s2 -= t2;
        // "Not (threshold <= var)" rather than "var < threshold": a NaN variance must
        // take the fast path, as in TA-Lib.
        let cancelled = (r * s2 * 1e-6).partial_cmp(&var) == Some(std::cmp::Ordering::Greater);
        let recentre = cancelled || t2 > s2 * 1e6 || {
            countdown -= 1;
            countdown == 0
        };
        if recentre {
            let window = &real[trailing..trailing + period];
            let mut sum = 0.0;
            for &x in window {
                sum += x;
            }
            shift = sum * r;
            s1 = 0.0;
            s2 = 0.0;
            for &x in window {
                let d = x - shift;
                s1 += d;
                s2 += d * d;
            }
            let m = r * s1;
            let scaled = r * s2;
            var = scaled - m * m;
            // Anything not at least 1e-12 of the scale (NaN included) is rounding noise.
            if var.partial_cmp(&(scaled * 1e-12)).is_none_or(|o| o == std::cmp::Ordering::Less) {
                var = 0.0;
            }
            let t = leaving - shift;
            s1 -= t;
            s2 -= t * t;
            countdown = recentre_every;
        } else {
            s1 -= t;
        }
        *o = var;
    }
}
