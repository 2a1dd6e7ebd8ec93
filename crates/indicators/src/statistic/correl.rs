//! CORREL — Pearson's correlation coefficient of two series over a sliding window,
//! TA-Lib-exact (TA-Lib 0.8.1).
//!
//! TA-Lib 0.8 keeps the five running sums (Σx, Σx², Σy, Σy², Σxy) of the values
//! measured against a shift (first the window's first values, later the window means),
//! so the extracted sums of squares ssX = Σx² − (Σx)²/p do not cancel. It rebuilds the
//! sums around the window means when ssX or ssY falls below 1e-6 of its sum of
//! squares, when the square of a value that just left exceeds 1e6 times what remains,
//! or every 32·period bars. r = spXY / √(ssX·ssY), 0 where either sum of squares is
//! within 1e-14 of its scale (or the product is not positive), clamped to [−1, 1].
//!
//! # Speed
//! Every rebuild restarts the sums from the window alone, so the stretches between
//! scheduled rebuilds are independent; on AVX2 four of them run side by side in one
//! vector (one square root and one division for four bars). Where a guard fires in a
//! stretch, the sequential form takes over from there (it rebuilds there, as TA-Lib
//! does) to the next scheduled rebuild. Every bar gets the sequential form's numbers.

/// Bars before the first value.
pub fn correl_lookback(period: usize) -> usize {
    period.saturating_sub(1)
}

#[derive(Clone, Copy, Default)]
struct Sums {
    x: f64,
    x2: f64,
    y: f64,
    y2: f64,
    xy: f64,
}

impl Sums {
    #[inline(always)]
    fn add(&mut self, x: f64, y: f64) {
        self.x += x;
        self.x2 += x * x;
        self.xy += x * y;
        self.y += y;
        self.y2 += y * y;
    }

    /// (ssX, ssY, spXY).
    #[inline(always)]
    fn extract(&self, inv: f64) -> (f64, f64, f64) {
        (self.x2 - (self.x * self.x) * inv, self.y2 - (self.y * self.y) * inv, self.xy - (self.x * self.y) * inv)
    }
}

/// The running state between bars.
#[derive(Clone, Copy, Default)]
struct State {
    s: Sums,
    shift_x: f64,
    shift_y: f64,
    leaving_x: f64,
    leaving_y: f64,
}

/// The coefficient from the extracted sums (TA-Lib's tests, in its order).
#[inline(always)]
fn coefficient(s: &Sums, ss_x: f64, ss_y: f64, sp: f64) -> f64 {
    if ss_x > 0.00000000000001 * s.x2 && ss_y > 0.00000000000001 * s.y2 {
        let prod = ss_x * ss_y;
        if prod > 0.0 {
            // Rounding can put r a few ulp outside [-1, 1] (a NaN stays NaN).
            return (sp / prod.sqrt()).clamp(-1.0, 1.0);
        }
    }
    0.0
}

/// Rebuilds the sums of the window ending at `today` around its means; returns the
/// state (leaving values not yet set) and the clamped (ssX, ssY, spXY).
#[inline(always)]
fn rebuild(x: &[f64], y: &[f64], today: usize, period: usize, inv: f64) -> (State, (f64, f64, f64)) {
    let window = today + 1 - period..=today;
    let (mut tx, mut ty) = (0.0, 0.0);
    for j in window.clone() {
        tx += x[j];
        ty += y[j];
    }
    let mut st = State { shift_x: tx * inv, shift_y: ty * inv, ..State::default() };
    for j in window {
        st.s.add(x[j] - st.shift_x, y[j] - st.shift_y);
    }
    let (mut ss_x, mut ss_y, sp) = st.s.extract(inv);
    if ss_x < 0.0 {
        ss_x = 0.0;
    }
    if ss_y < 0.0 {
        ss_y = 0.0;
    }
    (st, (ss_x, ss_y, sp))
}

/// The output of bar `today` and the removal of the value leaving after it.
#[inline(always)]
fn close_bar(x: &[f64], y: &[f64], today: usize, period: usize, st: &mut State, ext: (f64, f64, f64)) -> f64 {
    let trailing = today + 1 - period;
    let tx = x[trailing] - st.shift_x;
    let ty = y[trailing] - st.shift_y;
    let r = coefficient(&st.s, ext.0, ext.1, ext.2);
    st.leaving_x = tx * tx;
    st.leaving_y = ty * ty;
    st.s.x -= tx;
    st.s.x2 -= st.leaving_x;
    st.s.xy -= tx * ty;
    st.s.y -= ty;
    st.s.y2 -= st.leaving_y;
    r
}

/// CORREL of `x` and `y` (same length); NaN inside the lookback.
pub fn correl(x: &[f64], y: &[f64], period: usize) -> Vec<f64> {
    let n = x.len().min(y.len());
    let lb = correl_lookback(period);
    if period == 0 || n <= lb {
        return vec![f64::NAN; n];
    }
    let (x, y) = (&x[..n], &y[..n]);
    let mut out = vec![0.0; n];
    out[..lb].fill(f64::NAN);
    let mut start = sequential(x, y, &mut out, period, None, 0);
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
    {
        let round = simd::LANES * 32 * period;
        while n - start >= round {
            // SAFETY: this build targets CPUs with AVX2 (cfg above).
            start = match unsafe { simd::side_by_side(x, y, &mut out, period, start) } {
                None => start + round,
                Some(bar) => sequential(x, y, &mut out, period, Some(bar), bar + round),
            };
        }
    }
    while start < n {
        start = sequential(x, y, &mut out, period, Some(start), n);
    }
    out
}

/// The sequential form, from the first bar (`from` None) or from a rebuild at bar
/// `from`, up to the first scheduled rebuild at or after bar `until` (returned, not
/// computed) or the end of the series.
fn sequential(x: &[f64], y: &[f64], out: &mut [f64], period: usize, from: Option<usize>, until: usize) -> usize {
    let n = x.len();
    let lb = period - 1;
    let inv = 1.0 / period as f64;
    let rebuild_every = 32 * period;
    let mut countdown = rebuild_every;
    let (mut st, first) = match from {
        None => {
            let mut st = State { shift_x: x[0], shift_y: y[0], ..State::default() };
            for j in 0..lb {
                st.s.add(x[j] - st.shift_x, y[j] - st.shift_y);
            }
            (st, lb)
        }
        Some(bar) => {
            let (mut st, ext) = rebuild(x, y, bar, period, inv);
            out[bar] = close_bar(x, y, bar, period, &mut st, ext);
            (st, bar + 1)
        }
    };
    for today in first..n {
        st.s.add(x[today] - st.shift_x, y[today] - st.shift_y);
        let mut ext = st.s.extract(inv);
        countdown -= 1;
        let (ss_x, ss_y, _) = ext;
        if countdown == 0 && today >= until {
            return today;
        }
        if 0.000001 * st.s.x2 > ss_x
            || 0.000001 * st.s.y2 > ss_y
            || st.leaving_x > 1000000.0 * st.s.x2
            || st.leaving_y > 1000000.0 * st.s.y2
            || countdown == 0
        {
            countdown = rebuild_every;
            (st, ext) = rebuild(x, y, today, period, inv);
        }
        out[today] = close_bar(x, y, today, period, &mut st, ext);
    }
    n
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
mod simd {
    use super::{close_bar, rebuild, State};
    use std::arch::x86_64::*;

    pub(super) const LANES: usize = 4;

    #[inline]
    #[target_feature(enable = "avx2")]
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
    #[target_feature(enable = "avx2")]
    fn pack(f: impl Fn(usize) -> f64) -> __m256d {
        _mm256_set_pd(f(3), f(2), f(1), f(0))
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn gt(a: __m256d, b: __m256d) -> __m256d {
        _mm256_cmp_pd::<_CMP_GT_OQ>(a, b)
    }

    /// Four stretches of 32·period bars from bar `start` (a scheduled rebuild), side by
    /// side. Returns the first bar where a guard fired, if one did (bars before it are
    /// done).
    #[target_feature(enable = "avx2")]
    pub(super) fn side_by_side(x: &[f64], y: &[f64], out: &mut [f64], period: usize, start: usize) -> Option<usize> {
        let stretch = 32 * period;
        let steps = stretch - 1;
        let inv = 1.0 / period as f64;
        // Lane k covers bars start + k·stretch .. start + (k + 1)·stretch, the first a
        // rebuild (done here one lane at a time); after it, step i enters bar
        // start + k·stretch + 1 + i and drops the bar `period − 1` before that.
        let mut states = [State::default(); LANES];
        let (o0, rest) = out[start..start + LANES * stretch].split_at_mut(stretch);
        let (o1, rest) = rest.split_at_mut(stretch);
        let (o2, o3) = rest.split_at_mut(stretch);
        for (k, o) in [&mut o0[0], &mut o1[0], &mut o2[0], &mut o3[0]].into_iter().enumerate() {
            let bar = start + k * stretch;
            let (mut st, ext) = rebuild(x, y, bar, period, inv);
            *o = close_bar(x, y, bar, period, &mut st, ext);
            states[k] = st;
        }
        let (o0, o1, o2, o3) = (&mut o0[1..], &mut o1[1..], &mut o2[1..], &mut o3[1..]);
        let (o0, o1, o2, o3) = (&mut o0[..steps], &mut o1[..steps], &mut o2[..steps], &mut o3[..steps]);
        fn span(s: &[f64], from: usize, len: usize) -> &[f64] {
            &s[from..][..len]
        }
        let enter = |s, k: usize| span(s, start + k * stretch + 1, steps);
        let leave = |s, k: usize| span(s, start + k * stretch + 2 - period, steps);
        let (x0, x1, x2, x3) = (enter(x, 0), enter(x, 1), enter(x, 2), enter(x, 3));
        let (y0, y1, y2, y3) = (enter(y, 0), enter(y, 1), enter(y, 2), enter(y, 3));
        let (tx0, tx1, tx2, tx3) = (leave(x, 0), leave(x, 1), leave(x, 2), leave(x, 3));
        let (ty0, ty1, ty2, ty3) = (leave(y, 0), leave(y, 1), leave(y, 2), leave(y, 3));
        let shift_x = pack(|k| states[k].shift_x);
        let shift_y = pack(|k| states[k].shift_y);
        let mut sx = pack(|k| states[k].s.x);
        let mut sx2 = pack(|k| states[k].s.x2);
        let mut sy = pack(|k| states[k].s.y);
        let mut sy2 = pack(|k| states[k].s.y2);
        let mut sxy = pack(|k| states[k].s.xy);
        let mut leaving_x = pack(|k| states[k].leaving_x);
        let mut leaving_y = pack(|k| states[k].leaving_y);
        let inv = _mm256_set1_pd(inv);
        let tiny = _mm256_set1_pd(0.000001);
        let huge = _mm256_set1_pd(1000000.0);
        let eps = _mm256_set1_pd(0.00000000000001);
        let zero = _mm256_setzero_pd();
        let one = _mm256_set1_pd(1.0);
        let minus_one = _mm256_set1_pd(-1.0);
        let mut fired = [usize::MAX; LANES];
        for i in 0..steps {
            let dx = _mm256_sub_pd(_mm256_set_pd(x3[i], x2[i], x1[i], x0[i]), shift_x);
            let dy = _mm256_sub_pd(_mm256_set_pd(y3[i], y2[i], y1[i], y0[i]), shift_y);
            sx = _mm256_add_pd(sx, dx);
            sx2 = _mm256_add_pd(sx2, _mm256_mul_pd(dx, dx));
            sxy = _mm256_add_pd(sxy, _mm256_mul_pd(dx, dy));
            sy = _mm256_add_pd(sy, dy);
            sy2 = _mm256_add_pd(sy2, _mm256_mul_pd(dy, dy));
            let ss_x = _mm256_sub_pd(sx2, _mm256_mul_pd(_mm256_mul_pd(sx, sx), inv));
            let ss_y = _mm256_sub_pd(sy2, _mm256_mul_pd(_mm256_mul_pd(sy, sy), inv));
            let sp = _mm256_sub_pd(sxy, _mm256_mul_pd(_mm256_mul_pd(sx, sy), inv));
            let guard = _mm256_or_pd(
                _mm256_or_pd(gt(_mm256_mul_pd(tiny, sx2), ss_x), gt(_mm256_mul_pd(tiny, sy2), ss_y)),
                _mm256_or_pd(gt(leaving_x, _mm256_mul_pd(huge, sx2)), gt(leaving_y, _mm256_mul_pd(huge, sy2))),
            );
            let hit = _mm256_movemask_pd(guard);
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
            let tx = _mm256_sub_pd(_mm256_set_pd(tx3[i], tx2[i], tx1[i], tx0[i]), shift_x);
            let ty = _mm256_sub_pd(_mm256_set_pd(ty3[i], ty2[i], ty1[i], ty0[i]), shift_y);
            let prod = _mm256_mul_pd(ss_x, ss_y);
            let valid = _mm256_and_pd(
                _mm256_and_pd(gt(ss_x, _mm256_mul_pd(eps, sx2)), gt(ss_y, _mm256_mul_pd(eps, sy2))),
                gt(prod, zero),
            );
            let r = _mm256_div_pd(sp, _mm256_sqrt_pd(prod));
            let r = _mm256_blendv_pd(r, one, gt(r, one));
            let r = _mm256_blendv_pd(r, minus_one, gt(minus_one, r));
            let v = lanes(_mm256_and_pd(r, valid));
            (o0[i], o1[i], o2[i], o3[i]) = (v[0], v[1], v[2], v[3]);
            leaving_x = _mm256_mul_pd(tx, tx);
            leaving_y = _mm256_mul_pd(ty, ty);
            sx = _mm256_sub_pd(sx, tx);
            sx2 = _mm256_sub_pd(sx2, leaving_x);
            sxy = _mm256_sub_pd(sxy, _mm256_mul_pd(tx, ty));
            sy = _mm256_sub_pd(sy, ty);
            sy2 = _mm256_sub_pd(sy2, leaving_y);
        }
        let k = fired.iter().position(|&f| f != usize::MAX)?;
        Some(start + k * stretch + fired[k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The side-by-side rounds give the sequential form's numbers, with the guards firing
    /// (flat stretches, outliers) in every lane position.
    #[test]
    fn side_by_side_equals_sequential() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for period in [1usize, 2, 3, 7, 30] {
            let n = 40 * 32 * period + 23;
            for events in [0usize, 3, 40, 400] {
                let mut x: Vec<f64> = (0..n).map(|_| 100.0 + next()).collect();
                let mut y: Vec<f64> = x.iter().map(|v| v * 0.5 + next()).collect();
                for _ in 0..events {
                    let at = (next() * n as f64) as usize % n;
                    let len = 1 + (next() * 3.0 * period as f64) as usize;
                    if next() < 0.5 {
                        for j in at..(at + len).min(n) {
                            (x[j], y[j]) = (100.0, 50.0);
                        }
                    } else {
                        x[at] = 1e7 * next();
                    }
                }
                let fast = correl(&x, &y, period);
                let mut slow = vec![f64::NAN; n];
                let mut start = sequential(&x, &y, &mut slow, period, None, 0);
                while start < n {
                    start = sequential(&x, &y, &mut slow, period, Some(start), n);
                }
                for i in 0..n {
                    assert!(
                        fast[i].to_bits() == slow[i].to_bits() || (fast[i].is_nan() && slow[i].is_nan()),
                        "period {period} events {events} bar {i}: {} vs {}",
                        fast[i],
                        slow[i]
                    );
                }
            }
        }
    }
}
