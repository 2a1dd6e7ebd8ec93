//! MAMA — Ehlers' MESA adaptive moving average (TA-Lib's `TA_MAMA`), bit-exact.
//!
//! The price is smoothed by a 4-bar WMA, run through TA-Lib's Hilbert transform
//! (separate even- and odd-bar filter states, as TA-Lib keeps them) to measure the
//! phase; the phase change sets the adaptive factor between `slowlimit` and
//! `fastlimit`. MAMA = EMA of the price at that factor, FAMA = EMA of MAMA at half
//! of it. The multiply-adds TA-Lib's FMA build fuses are fused here at the same
//! sites (its `a*b + c` assignments; the smoother's `+=` accumulations are not). This file keeps its own Hilbert state (TA-Lib's MAMA does too).

use crate::math::nan_vec;

/// Bars before the first MAMA value (the limits do not change it).
pub fn mama_lookback() -> usize {
    32
}

const A: f64 = 0.0962;
const B: f64 = 0.5769;

/// One Hilbert-transform filter: the 3-slot ring and the lagged input of one parity.
#[derive(Clone, Copy, Default)]
struct HilbertFilter {
    ring: [f64; 3],
    prev: f64,
    prev_input: f64,
}

impl HilbertFilter {
    /// The filter's output for `input` at ring slot `idx`, scaled by `adjusted`.
    #[inline(always)]
    fn apply(&mut self, input: f64, idx: usize, adjusted: f64) -> f64 {
        let scaled = A * input;
        let mut out = -self.ring[idx];
        self.ring[idx] = scaled;
        out += scaled;
        out -= self.prev;
        self.prev = B * self.prev_input;
        out += self.prev;
        self.prev_input = input;
        out * adjusted
    }
}

/// The four filters of one bar parity.
#[derive(Clone, Copy, Default)]
struct HilbertBank {
    detrender: HilbertFilter,
    q1: HilbertFilter,
    ji: HilbertFilter,
    jq: HilbertFilter,
}

/// `[mama, fama]` over `real`; NaN inside the lookback. The limits are TA-Lib's
/// (0.01..=0.99 each).
pub fn mama(real: &[f64], fastlimit: f64, slowlimit: f64) -> [Vec<f64>; 2] {
    let n = real.len();
    let mut out_mama = nan_vec(n);
    let mut out_fama = nan_vec(n);
    run(real, fastlimit, slowlimit, |today, m, f| {
        out_mama[today] = m;
        out_fama[today] = f;
    });
    [out_mama, out_fama]
}

/// The MAMA line alone (MA's matype 7).
pub(crate) fn mama_line(real: &[f64], fastlimit: f64, slowlimit: f64) -> Vec<f64> {
    let mut out = nan_vec(real.len());
    run(real, fastlimit, slowlimit, |today, m, _| out[today] = m);
    out
}

fn run(real: &[f64], fastlimit: f64, slowlimit: f64, mut emit: impl FnMut(usize, f64, f64)) {
    let n = real.len();
    let lookback = mama_lookback();
    if n <= lookback {
        return;
    }
    let rad2deg = 180.0 / (4.0 * 1.0f64.atan());

    // The 4-bar WMA price smoother, primed over the first three bars.
    let mut trailing_idx = 0;
    let mut today = 0;
    let mut x = real[today];
    today += 1;
    let mut wma_sub = x;
    let mut wma_sum = x;
    x = real[today];
    today += 1;
    wma_sub += x;
    wma_sum += x * 2.0;
    x = real[today];
    today += 1;
    wma_sub += x;
    wma_sum += x * 3.0;
    let mut trailing_value = 0.0;
    for _ in 0..9 {
        x = real[today];
        today += 1;
        wma_sub += x;
        wma_sub -= trailing_value;
        wma_sum += x * 4.0;
        trailing_value = real[trailing_idx];
        trailing_idx += 1;
        wma_sum -= wma_sub;
    }

    let mut even = HilbertBank::default();
    let mut odd = HilbertBank::default();
    let mut hilbert_idx = 0;
    let mut period = 0.0;
    let (mut prev_i2, mut prev_q2, mut re, mut im) = (0.0, 0.0, 0.0, 0.0);
    let (mut mama, mut fama) = (0.0, 0.0);
    let (mut i1_odd_prev3, mut i1_even_prev3) = (0.0, 0.0);
    let (mut i1_odd_prev2, mut i1_even_prev2) = (0.0, 0.0);
    let mut prev_phase = 0.0;

    while today < n {
        let adjusted = 0.075f64.mul_add(period, 0.54);
        let value = real[today];
        wma_sub += value;
        wma_sub -= trailing_value;
        wma_sum += value * 4.0;
        trailing_value = real[trailing_idx];
        trailing_idx += 1;
        let smoothed = wma_sum * 0.1;
        wma_sum -= wma_sub;

        let (q1, ji, jq, i1_prev3);
        if today % 2 == 0 {
            let detrender = even.detrender.apply(smoothed, hilbert_idx, adjusted);
            q1 = even.q1.apply(detrender, hilbert_idx, adjusted);
            ji = even.ji.apply(i1_even_prev3, hilbert_idx, adjusted);
            jq = even.jq.apply(q1, hilbert_idx, adjusted);
            hilbert_idx += 1;
            if hilbert_idx == 3 {
                hilbert_idx = 0;
            }
            i1_prev3 = i1_even_prev3;
            i1_odd_prev3 = i1_odd_prev2;
            i1_odd_prev2 = detrender;
        } else {
            let detrender = odd.detrender.apply(smoothed, hilbert_idx, adjusted);
            q1 = odd.q1.apply(detrender, hilbert_idx, adjusted);
            ji = odd.ji.apply(i1_odd_prev3, hilbert_idx, adjusted);
            jq = odd.jq.apply(q1, hilbert_idx, adjusted);
            i1_prev3 = i1_odd_prev3;
            i1_even_prev3 = i1_even_prev2;
            i1_even_prev2 = detrender;
        }
        let q2 = 0.2f64.mul_add(q1 + ji, 0.8 * prev_q2);
        let i2 = 0.2f64.mul_add(i1_prev3 - jq, 0.8 * prev_i2);
        let phase = if i1_prev3 != 0.0 { (q1 / i1_prev3).atan() * rad2deg } else { 0.0 };

        // The phase change sets the adaptive factor.
        let mut delta = prev_phase - phase;
        prev_phase = phase;
        if delta < 1.0 {
            delta = 1.0;
        }
        let mut alpha = if delta > 1.0 {
            let a = fastlimit / delta;
            if a < slowlimit {
                slowlimit
            } else {
                a
            }
        } else {
            fastlimit
        };
        mama = (1.0 - alpha).mul_add(mama, alpha * value);
        alpha *= 0.5;
        fama = (1.0 - alpha).mul_add(fama, alpha * mama);
        if today >= lookback {
            emit(today, mama, fama);
        }

        // The period for the next bar.
        re = 0.8f64.mul_add(re, 0.2 * i2.mul_add(prev_i2, q2 * prev_q2));
        im = 0.8f64.mul_add(im, 0.2 * ((i2 * prev_q2) - (q2 * prev_i2)));
        prev_q2 = q2;
        prev_i2 = i2;
        let last = period;
        if im != 0.0 && re != 0.0 {
            period = 360.0 / ((im / re).atan() * rad2deg);
        }
        let upper = 1.5 * last;
        if period > upper {
            period = upper;
        }
        let lower = 0.67 * last;
        if period < lower {
            period = lower;
        }
        period = period.clamp(6.0, 50.0);
        period = 0.2f64.mul_add(period, 0.8 * last);
        today += 1;
    }
}
