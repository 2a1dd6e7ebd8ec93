//! BETA — the regression slope of one series' returns on another's, over a sliding
//! window, TA-Lib-exact (TA-Lib 0.8.1).
//!
//! x is the return of the first input ((p − prev)/prev, 0 when prev is exactly 0),
//! y that of the second; beta = (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²) over the last
//! `period` returns. TA-Lib 0.8 keeps the running sums of the returns measured against
//! a shift (first the first return of the window, later the window's mean returns) and
//! rebuilds them around the window means when the denominator falls below 1e-6 of
//! n·Σx², when the square of a return that just left exceeds 1e3 times Σx² (or Σy²), or
//! every 32·period bars. The output is 0 where the denominator is not above 1e-14 of
//! n·Σx².
//!
//! # Speed
//! Every rebuild restarts the sums from the window alone, so the stretches between
//! scheduled rebuilds are independent; on AVX2 four of them run side by side in one
//! vector, with the returns of the four stretches computed first in one vectorised pass
//! (each return once; TA-Lib computes it again when it leaves the window). Where a
//! guard fires in a stretch, the sequential form takes over from there (it rebuilds
//! there, as TA-Lib does) to the next scheduled rebuild. Every bar gets the sequential
//! form's numbers.

/// Bars before the first value.
pub fn beta_lookback(period: usize) -> usize {
    period
}

/// The return of bar `j` (j >= 1): (p[j] − p[j−1]) / p[j−1], 0 where p[j−1] is exactly
/// 0 (TA-Lib then uses 0 − shift, which is what r − shift gives with r = 0).
#[inline(always)]
fn ret(p: &[f64], j: usize) -> f64 {
    let prev = p[j - 1];
    if prev != 0.0 {
        (p[j] - prev) / prev
    } else {
        0.0
    }
}

#[derive(Clone, Copy, Default)]
struct Sums {
    xx: f64,
    xy: f64,
    x: f64,
    y: f64,
    yy: f64,
}

impl Sums {
    #[inline(always)]
    fn add(&mut self, x: f64, y: f64) {
        self.xx += x * x;
        self.xy += x * y;
        self.x += x;
        self.y += y;
        self.yy += y * y;
    }
}

/// The running state between bars.
#[derive(Clone, Copy, Default)]
struct State {
    s: Sums,
    shift_x: f64,
    shift_y: f64,
    leaving_xx: f64,
    leaving_yy: f64,
}

/// Rebuilds the sums of the `period` returns ending at bar `today` around their means
/// (`rets(j)` is the pair of returns of bar j); returns the state (leaving values not
/// yet set), n·Σx² and the clamped denominator.
#[inline(always)]
fn rebuild(rets: impl Fn(usize) -> (f64, f64), today: usize, period: usize) -> (State, f64, f64) {
    let n = period as f64;
    let window = today + 1 - period..=today;
    let (mut tx, mut ty) = (0.0, 0.0);
    for j in window.clone() {
        let (rx, ry) = rets(j);
        tx += rx;
        ty += ry;
    }
    let mut st = State { shift_x: tx / n, shift_y: ty / n, ..State::default() };
    for j in window {
        let (rx, ry) = rets(j);
        st.s.add(rx - st.shift_x, ry - st.shift_y);
    }
    let scale = n * st.s.xx;
    let mut denom = scale - st.s.x * st.s.x;
    if denom < 0.0 {
        denom = 0.0;
    }
    (st, scale, denom)
}

/// The output of a bar and the removal of the returns `(rx, ry)` leaving after it.
#[inline(always)]
fn close_bar(st: &mut State, n: f64, scale: f64, denom: f64, (rx, ry): (f64, f64)) -> f64 {
    let tx = rx - st.shift_x;
    let ty = ry - st.shift_y;
    let out = if denom > 0.00000000000001 * scale { (n * st.s.xy - st.s.x * st.s.y) / denom } else { 0.0 };
    st.leaving_xx = tx * tx;
    st.leaving_yy = ty * ty;
    st.s.y -= ty;
    st.s.x -= tx;
    st.s.xy -= tx * ty;
    st.s.xx -= st.leaving_xx;
    st.s.yy -= st.leaving_yy;
    out
}

/// BETA of `real0` (x) and `real1` (y); NaN inside the lookback.
pub fn beta(real0: &[f64], real1: &[f64], period: usize) -> Vec<f64> {
    let len = real0.len().min(real1.len());
    if period == 0 || len <= period {
        return vec![f64::NAN; len];
    }
    let (real0, real1) = (&real0[..len], &real1[..len]);
    let mut out = vec![0.0; len];
    out[..period].fill(f64::NAN);
    let mut start = sequential(real0, real1, &mut out, period, None, 0);
    #[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
    {
        let round = simd::LANES * 32 * period;
        let mut rx = Vec::new();
        let mut ry = Vec::new();
        // The returns of a round are held (2 × 128·period values): past a period of
        // 1024 (2 MB) the sequential form runs instead.
        while period <= 1024 && len - start >= round {
            // SAFETY: this build targets CPUs with AVX2 (cfg above).
            start = match unsafe { simd::side_by_side(real0, real1, &mut out, period, start, &mut rx, &mut ry) } {
                None => start + round,
                Some(bar) => sequential(real0, real1, &mut out, period, Some(bar), bar + round),
            };
        }
    }
    while start < len {
        start = sequential(real0, real1, &mut out, period, Some(start), len);
    }
    out
}

/// The sequential form, from the first bar (`from` None) or from a rebuild at bar
/// `from`, up to the first scheduled rebuild at or after bar `until` (returned, not
/// computed) or the end of the series.
fn sequential(
    real0: &[f64],
    real1: &[f64],
    out: &mut [f64],
    period: usize,
    from: Option<usize>,
    until: usize,
) -> usize {
    let len = real0.len();
    let n = period as f64;
    let rets = |j: usize| (ret(real0, j), ret(real1, j));
    let rebuild_every = 32 * period;
    let mut countdown = rebuild_every;
    let (mut st, first) = match from {
        None => {
            let (sx, sy) = rets(1);
            let mut st = State { shift_x: sx, shift_y: sy, ..State::default() };
            for j in 1..period {
                let (rx, ry) = rets(j);
                st.s.add(rx - st.shift_x, ry - st.shift_y);
            }
            (st, period)
        }
        Some(bar) => {
            let (mut st, scale, denom) = rebuild(rets, bar, period);
            out[bar] = close_bar(&mut st, n, scale, denom, rets(bar + 1 - period));
            (st, bar + 1)
        }
    };
    for today in first..len {
        let (rx, ry) = rets(today);
        st.s.add(rx - st.shift_x, ry - st.shift_y);
        let mut scale = n * st.s.xx;
        let mut denom = scale - st.s.x * st.s.x;
        countdown -= 1;
        if countdown == 0 && today >= until {
            return today;
        }
        if 0.000001 * scale > denom
            || st.leaving_xx > 1000.0 * st.s.xx
            || st.leaving_yy > 1000.0 * st.s.yy
            || countdown == 0
        {
            countdown = rebuild_every;
            (st, scale, denom) = rebuild(rets, today, period);
        }
        out[today] = close_bar(&mut st, n, scale, denom, rets(today + 1 - period));
    }
    len
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx2"))]
mod simd {
    use super::{close_bar, rebuild, ret, State};
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

    /// The returns of bars `from..to` of `p` into `r`.
    #[target_feature(enable = "avx2")]
    fn returns(p: &[f64], from: usize, to: usize, r: &mut Vec<f64>) {
        r.clear();
        r.extend(p[from - 1..to - 1].iter().zip(&p[from..to]).map(|(&prev, &cur)| {
            let q = (cur - prev) / prev;
            if prev != 0.0 {
                q
            } else {
                0.0
            }
        }));
        debug_assert!(r.iter().enumerate().all(|(i, &v)| v.to_bits() == ret(p, from + i).to_bits()));
    }

    /// Four stretches of 32·period bars from bar `start` (a scheduled rebuild), side by
    /// side. Returns the first bar where a guard fired, if one did (bars before it are
    /// done). `rx` and `ry` are scratch space for the returns.
    #[target_feature(enable = "avx2")]
    pub(super) fn side_by_side(
        real0: &[f64],
        real1: &[f64],
        out: &mut [f64],
        period: usize,
        start: usize,
        rx: &mut Vec<f64>,
        ry: &mut Vec<f64>,
    ) -> Option<usize> {
        let stretch = 32 * period;
        let steps = stretch - 1;
        let n = period as f64;
        // Returns of bars base.., at index j − base: every window of the round.
        let base = start + 1 - period;
        returns(real0, base, start + LANES * stretch, rx);
        returns(real1, base, start + LANES * stretch, ry);
        let (rx, ry) = (&rx[..], &ry[..]);
        let rets = |j: usize| (rx[j - base], ry[j - base]);
        // Lane k covers bars start + k·stretch .. start + (k + 1)·stretch, the first a
        // rebuild (done here one lane at a time); after it, step i enters the return of
        // bar start + k·stretch + 1 + i and drops that of the bar `period − 1` before.
        let mut states = [State::default(); LANES];
        let (o0, rest) = out[start..start + LANES * stretch].split_at_mut(stretch);
        let (o1, rest) = rest.split_at_mut(stretch);
        let (o2, o3) = rest.split_at_mut(stretch);
        for (k, o) in [&mut o0[0], &mut o1[0], &mut o2[0], &mut o3[0]].into_iter().enumerate() {
            let bar = start + k * stretch;
            let (mut st, scale, denom) = rebuild(rets, bar, period);
            *o = close_bar(&mut st, n, scale, denom, rets(bar + 1 - period));
            states[k] = st;
        }
        let (o0, o1, o2, o3) = (&mut o0[1..], &mut o1[1..], &mut o2[1..], &mut o3[1..]);
        let (o0, o1, o2, o3) = (&mut o0[..steps], &mut o1[..steps], &mut o2[..steps], &mut o3[..steps]);
        fn span(s: &[f64], from: usize, len: usize) -> &[f64] {
            &s[from..][..len]
        }
        // Index into the returns of the bar entering at step 0 of lane k, and of the one
        // leaving.
        let enter = |s, k: usize| span(s, start + k * stretch + 1 - base, steps);
        let leave = |s, k: usize| span(s, start + k * stretch + 2 - period - base, steps);
        let (x0, x1, x2, x3) = (enter(rx, 0), enter(rx, 1), enter(rx, 2), enter(rx, 3));
        let (y0, y1, y2, y3) = (enter(ry, 0), enter(ry, 1), enter(ry, 2), enter(ry, 3));
        let (tx0, tx1, tx2, tx3) = (leave(rx, 0), leave(rx, 1), leave(rx, 2), leave(rx, 3));
        let (ty0, ty1, ty2, ty3) = (leave(ry, 0), leave(ry, 1), leave(ry, 2), leave(ry, 3));
        let shift_x = pack(|k| states[k].shift_x);
        let shift_y = pack(|k| states[k].shift_y);
        let mut sx = pack(|k| states[k].s.x);
        let mut sxx = pack(|k| states[k].s.xx);
        let mut sy = pack(|k| states[k].s.y);
        let mut syy = pack(|k| states[k].s.yy);
        let mut sxy = pack(|k| states[k].s.xy);
        let mut leaving_xx = pack(|k| states[k].leaving_xx);
        let mut leaving_yy = pack(|k| states[k].leaving_yy);
        let nv = _mm256_set1_pd(n);
        let tiny = _mm256_set1_pd(0.000001);
        let thousand = _mm256_set1_pd(1000.0);
        let eps = _mm256_set1_pd(0.00000000000001);
        let mut fired = [usize::MAX; LANES];
        for i in 0..steps {
            let x = _mm256_sub_pd(_mm256_set_pd(x3[i], x2[i], x1[i], x0[i]), shift_x);
            let y = _mm256_sub_pd(_mm256_set_pd(y3[i], y2[i], y1[i], y0[i]), shift_y);
            sxx = _mm256_add_pd(sxx, _mm256_mul_pd(x, x));
            sxy = _mm256_add_pd(sxy, _mm256_mul_pd(x, y));
            sx = _mm256_add_pd(sx, x);
            sy = _mm256_add_pd(sy, y);
            syy = _mm256_add_pd(syy, _mm256_mul_pd(y, y));
            let scale = _mm256_mul_pd(nv, sxx);
            let denom = _mm256_sub_pd(scale, _mm256_mul_pd(sx, sx));
            let guard = _mm256_or_pd(
                gt(_mm256_mul_pd(tiny, scale), denom),
                _mm256_or_pd(
                    gt(leaving_xx, _mm256_mul_pd(thousand, sxx)),
                    gt(leaving_yy, _mm256_mul_pd(thousand, syy)),
                ),
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
            let b = _mm256_div_pd(_mm256_sub_pd(_mm256_mul_pd(nv, sxy), _mm256_mul_pd(sx, sy)), denom);
            let v = lanes(_mm256_and_pd(b, gt(denom, _mm256_mul_pd(eps, scale))));
            (o0[i], o1[i], o2[i], o3[i]) = (v[0], v[1], v[2], v[3]);
            leaving_xx = _mm256_mul_pd(tx, tx);
            leaving_yy = _mm256_mul_pd(ty, ty);
            sy = _mm256_sub_pd(sy, ty);
            sx = _mm256_sub_pd(sx, tx);
            sxy = _mm256_sub_pd(sxy, _mm256_mul_pd(tx, ty));
            sxx = _mm256_sub_pd(sxx, leaving_xx);
            syy = _mm256_sub_pd(syy, leaving_yy);
        }
        let k = fired.iter().position(|&f| f != usize::MAX)?;
        Some(start + k * stretch + fired[k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The side-by-side rounds give the sequential form's numbers, with the guards firing
    /// (flat stretches, bad ticks, zero prices) in every lane position.
    #[test]
    fn side_by_side_equals_sequential() {
        let mut state = 0xd1b5_4a32_d192_ed03_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for period in [1usize, 2, 5, 9] {
            let n = 40 * 32 * period + 29;
            for events in [0usize, 3, 40, 400] {
                let mut x: Vec<f64> = (0..n).map(|_| 100.0 + next()).collect();
                let mut y: Vec<f64> = x.iter().map(|v| v * 0.5 + next()).collect();
                for _ in 0..events {
                    let at = (next() * n as f64) as usize % n;
                    let len = 1 + (next() * 3.0 * period as f64) as usize;
                    let kind = next();
                    if kind < 0.4 {
                        for j in at..(at + len).min(n) {
                            (x[j], y[j]) = (100.0, 50.0);
                        }
                    } else if kind < 0.8 {
                        x[at] = 1e7 * next();
                    } else {
                        y[at] = 0.0;
                    }
                }
                let fast = beta(&x, &y, period);
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
