//! LINEARREG, LINEARREG_SLOPE, LINEARREG_INTERCEPT, LINEARREG_ANGLE and TSF: the least
//! squares line over the last `period` bars, TA-Lib-exact (TA-Lib 0.8.1).
//!
//! The x axis runs backwards inside the window (the newest bar is x = 0, the oldest
//! x = period − 1), and TA-Lib 0.8 keeps the two data sums running: each bar
//! Σxy += Σy − period·leaving and Σy += entering − leaving. A third running sum, Σ|y|,
//! guards them: when period·|leaving| exceeds 100·Σ|y| (the departing value dominates,
//! so the running sums would keep its rounding), and every 32·period bars anyway, the
//! three sums are rebuilt from the window. The line is then
//! m = (period·Σxy − Σx·Σy) / (Σx² − period·Σx²ᵢ) and b = (Σy − m·Σx) / period, with the
//! period-only constants computed as TA-Lib computes them. LINEARREG and TSF evaluate
//! b + m·(period − 1) and b + m·period with one fused multiply-add, as TA-Lib's build does.
//!
//! # Speed
//! The sums are sequential, but every rebuild restarts them from the window alone, so
//! the stretches between rebuilds are independent: with no guard-triggered rebuild they
//! are the 32·period-bar stretches from the first output on. On AVX2 four of them run
//! side by side in one vector (four dependency chains at once, one vector division for
//! four bars). A guard firing in a stretch ends the round there: the bars before it are
//! right, and from it the sequential form runs (it rebuilds there, as TA-Lib does) to
//! the next scheduled rebuild, where side-by-side rounds resume. Every bar gets the
//! sequential form's numbers.

/// Bars before the first value (all five functions).
pub fn linearreg_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

/// What each function reads off the line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    /// LINEARREG: b + m·(period − 1).
    Value,
    /// TSF: b + m·period.
    Forecast,
    /// LINEARREG_SLOPE: m.
    Slope,
    /// LINEARREG_INTERCEPT: b (LINEARREG_ANGLE takes the slope and converts it).
    Intercept,
}

const DEGREES: f64 = 180.0 / std::f64::consts::PI;

/// The period-only constants, computed as TA-Lib computes them.
#[derive(Clone, Copy)]
struct Fit {
    p: f64,
    sum_x: f64,
    divisor: f64,
}

impl Fit {
    fn new(period: usize) -> Self {
        let p = period as f64;
        let pp = (p - 1.0) * p;
        let sum_x = pp * 0.5;
        let sum_x_sqr = (2.0 * p - 1.0) * pp / 6.0;
        Fit { p, sum_x, divisor: sum_x * sum_x - p * sum_x_sqr }
    }

    #[inline(always)]
    fn output(&self, line: Line, sum_xy: f64, sum_y: f64) -> f64 {
        let m = (self.p * sum_xy - self.sum_x * sum_y) / self.divisor;
        let b = || (sum_y - m * self.sum_x) / self.p;
        match line {
            Line::Value => m.mul_add(self.p - 1.0, b()),
            Line::Forecast => m.mul_add(self.p, b()),
            Line::Slope => m,
            Line::Intercept => b(),
        }
    }
}

/// Σy, Σxy and Σ|y| of one window, oldest value first (weight period − 1 down to 0).
#[inline(always)]
fn window_sums(window: &[f64]) -> (f64, f64, f64) {
    let (mut sum_y, mut sum_xy, mut sum_abs) = (0.0, 0.0, 0.0);
    let mut weight = (window.len() - 1) as f64;
    for &y in window {
        sum_y += y;
        sum_abs += y.abs();
        sum_xy += weight * y;
        weight -= 1.0;
    }
    (sum_y, sum_xy, sum_abs)
}

#[inline(always)]
fn regression(real: &[f64], period: usize, line: Line) -> Vec<f64> {
    let n = real.len();
    if period < 2 || n < period {
        return vec![f64::NAN; n];
    }
    let fit = Fit::new(period);
    let mut out = vec![0.0; n];
    out[..period - 1].fill(f64::NAN);
    let mut start = period - 1;
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma"))]
    {
        let round = simd::LANES * 32 * period;
        while n - start >= round {
            // SAFETY: this build targets CPUs with AVX2 and FMA (cfg above).
            let fired = unsafe {
                match line {
                    Line::Value => simd::side_by_side::<0>(real, &mut out, period, start, fit),
                    Line::Forecast => simd::side_by_side::<1>(real, &mut out, period, start, fit),
                    Line::Slope => simd::side_by_side::<2>(real, &mut out, period, start, fit),
                    Line::Intercept => simd::side_by_side::<3>(real, &mut out, period, start, fit),
                }
            };
            start = match fired {
                None => start + round,
                Some(bar) => sequential(real, &mut out, period, bar, bar + round, fit, line),
            };
        }
    }
    while start < n {
        start = sequential(real, &mut out, period, start, n, fit, line);
    }
    out
}

/// The sequential form from a rebuild at bar `from`, up to the first scheduled rebuild
/// at or after bar `until` (returned, not computed) or the end of the series.
#[inline(always)]
fn sequential(real: &[f64], out: &mut [f64], period: usize, from: usize, until: usize, fit: Fit, line: Line) -> usize {
    let n = real.len();
    let p = fit.p;
    let stretch = 32 * period;
    let (mut sum_y, mut sum_xy, mut sum_abs) = window_sums(&real[from + 1 - period..=from]);
    out[from] = fit.output(line, sum_xy, sum_y);
    let mut rebuilt = from;
    for today in from + 1..n {
        let mut rebuild = today - rebuilt == stretch;
        if rebuild {
            if today >= until {
                return today;
            }
        } else {
            let leaving = real[today - period];
            let entering = real[today];
            let weighted = p * leaving;
            sum_abs = entering.abs() + (sum_abs - leaving.abs());
            if weighted.abs() > sum_abs * 100.0 {
                rebuild = true;
            } else {
                sum_xy = (sum_xy + sum_y) - weighted;
                sum_y = (sum_y - leaving) + entering;
            }
        }
        if rebuild {
            (sum_y, sum_xy, sum_abs) = window_sums(&real[today + 1 - period..=today]);
            rebuilt = today;
        }
        out[today] = fit.output(line, sum_xy, sum_y);
    }
    n
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma"))]
mod simd {
    use super::{window_sums, Fit};
    use std::arch::x86_64::*;

    pub(super) const LANES: usize = 4;

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn lanes(v: __m256d) -> [f64; 4] {
        let lo = _mm256_castpd256_pd128(v);
        let hi = _mm256_extractf128_pd::<1>(v);
        [
            _mm_cvtsd_f64(lo),
            _mm_cvtsd_f64(_mm_unpackhi_pd(lo, lo)),
            _mm_cvtsd_f64(hi),
            _mm_cvtsd_f64(_mm_unpackhi_pd(hi, hi)),
        ]
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn abs(v: __m256d) -> __m256d {
        _mm256_andnot_pd(_mm256_set1_pd(-0.0), v)
    }

    /// [`Fit::output`] in four lanes; `LINE` is the [`super::Line`] in declaration order.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn output<const LINE: u8>(fit: Fit, sum_xy: __m256d, sum_y: __m256d) -> [f64; 4] {
        let p = _mm256_set1_pd(fit.p);
        let sum_x = _mm256_set1_pd(fit.sum_x);
        let m = _mm256_div_pd(
            _mm256_sub_pd(_mm256_mul_pd(p, sum_xy), _mm256_mul_pd(sum_x, sum_y)),
            _mm256_set1_pd(fit.divisor),
        );
        let b = || _mm256_div_pd(_mm256_sub_pd(sum_y, _mm256_mul_pd(m, sum_x)), p);
        match LINE {
            0 => lanes(_mm256_fmadd_pd(m, _mm256_set1_pd(fit.p - 1.0), b())),
            1 => lanes(_mm256_fmadd_pd(m, p, b())),
            2 => lanes(m),
            _ => lanes(b()),
        }
    }

    /// Four stretches of 32·period bars from bar `start` (a rebuild), side by side.
    /// Returns the first bar where the guard fired, if it did (bars before it are done).
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn side_by_side<const LINE: u8>(
        real: &[f64],
        out: &mut [f64],
        period: usize,
        start: usize,
        fit: Fit,
    ) -> Option<usize> {
        let stretch = 32 * period;
        let steps = stretch - 1;
        // Lane k covers bars start + k·stretch .. start + (k + 1)·stretch, the first a
        // rebuild; after it, step i enters bar start + k·stretch + 1 + i and drops the
        // bar `period` before it.
        let enter = |k: usize| &real[start + k * stretch + 1..][..steps];
        let leave = |k: usize| &real[start + k * stretch + 1 - period..][..steps];
        let (e0, e1, e2, e3) = (enter(0), enter(1), enter(2), enter(3));
        let (l0, l1, l2, l3) = (leave(0), leave(1), leave(2), leave(3));
        let fresh: [(f64, f64, f64); LANES] = std::array::from_fn(|k| {
            let at = start + k * stretch;
            window_sums(&real[at + 1 - period..=at])
        });
        let mut sum_y = _mm256_set_pd(fresh[3].0, fresh[2].0, fresh[1].0, fresh[0].0);
        let mut sum_xy = _mm256_set_pd(fresh[3].1, fresh[2].1, fresh[1].1, fresh[0].1);
        let mut sum_abs = _mm256_set_pd(fresh[3].2, fresh[2].2, fresh[1].2, fresh[0].2);
        let (o0, rest) = out[start..start + LANES * stretch].split_at_mut(stretch);
        let (o1, rest) = rest.split_at_mut(stretch);
        let (o2, o3) = rest.split_at_mut(stretch);
        let v = output::<LINE>(fit, sum_xy, sum_y);
        (o0[0], o1[0], o2[0], o3[0]) = (v[0], v[1], v[2], v[3]);
        let (o0, o1, o2, o3) = (&mut o0[1..], &mut o1[1..], &mut o2[1..], &mut o3[1..]);
        let (o0, o1, o2, o3) = (&mut o0[..steps], &mut o1[..steps], &mut o2[..steps], &mut o3[..steps]);
        let p = _mm256_set1_pd(fit.p);
        let hundred = _mm256_set1_pd(100.0);
        let mut fired = [usize::MAX; LANES];
        for i in 0..steps {
            let x = _mm256_set_pd(e3[i], e2[i], e1[i], e0[i]);
            let t = _mm256_set_pd(l3[i], l2[i], l1[i], l0[i]);
            let weighted = _mm256_mul_pd(p, t);
            sum_abs = _mm256_add_pd(abs(x), _mm256_sub_pd(sum_abs, abs(t)));
            let hit = _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_GT_OQ>(abs(weighted), _mm256_mul_pd(sum_abs, hundred)));
            if hit != 0 {
                for (k, f) in fired.iter_mut().enumerate() {
                    if hit & (1 << k) != 0 && *f == usize::MAX {
                        *f = i + 1;
                    }
                }
                if fired[0] != usize::MAX {
                    return Some(start + fired[0]);
                }
            }
            sum_xy = _mm256_sub_pd(_mm256_add_pd(sum_xy, sum_y), weighted);
            sum_y = _mm256_add_pd(_mm256_sub_pd(sum_y, t), x);
            let v = output::<LINE>(fit, sum_xy, sum_y);
            (o0[i], o1[i], o2[i], o3[i]) = (v[0], v[1], v[2], v[3]);
        }
        let k = fired.iter().position(|&f| f != usize::MAX)?;
        Some(start + k * stretch + fired[k])
    }
}

/// LINEARREG: the fitted line's value at the newest bar.
pub fn linearreg(real: &[f64], period: usize) -> Vec<f64> {
    regression(real, period, Line::Value)
}

/// TSF: the fitted line one bar ahead.
pub fn tsf(real: &[f64], period: usize) -> Vec<f64> {
    regression(real, period, Line::Forecast)
}

/// LINEARREG_SLOPE: m, per bar (in TA-Lib's sign convention, the newest bar is x = 0).
pub fn linearreg_slope(real: &[f64], period: usize) -> Vec<f64> {
    regression(real, period, Line::Slope)
}

/// LINEARREG_INTERCEPT: b, the line's value at the oldest bar of the window.
pub fn linearreg_intercept(real: &[f64], period: usize) -> Vec<f64> {
    regression(real, period, Line::Intercept)
}

/// LINEARREG_ANGLE: atan(m) in degrees. (The slopes first, then the angles in one
/// pass: the arctangents, which dominate, then overlap one another.)
pub fn linearreg_angle(real: &[f64], period: usize) -> Vec<f64> {
    let mut out = regression(real, period, Line::Slope);
    for v in out.iter_mut().skip(linearreg_lookback(period)) {
        *v = v.atan() * DEGREES;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The side-by-side rounds give the sequential form's numbers, with the guard firing
    /// in every lane position (first, middle, last lane, several lanes in one round).
    #[test]
    fn side_by_side_equals_sequential() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for period in [2usize, 3, 5, 14] {
            let n = 40 * 32 * period + 17;
            for spikes in [0usize, 3, 40, 400] {
                let mut real: Vec<f64> = (0..n).map(|_| next() - 0.3).collect();
                for _ in 0..spikes {
                    let at = (next() * n as f64) as usize % n;
                    real[at] = 1e4 * (next() - 0.5);
                }
                for line in [Line::Value, Line::Forecast, Line::Slope, Line::Intercept] {
                    let fast = regression(&real, period, line);
                    let mut slow = vec![f64::NAN; n];
                    sequential(&real, &mut slow, period, period - 1, n, Fit::new(period), line);
                    for i in 0..n {
                        assert!(
                            fast[i].to_bits() == slow[i].to_bits() || (fast[i].is_nan() && slow[i].is_nan()),
                            "period {period} spikes {spikes} bar {i}: {} vs {}",
                            fast[i],
                            slow[i]
                        );
                    }
                }
            }
        }
    }
}
