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
    if n > mama_lookback() {
        let mut state = Mama::new(fastlimit, slowlimit);
        for (i, &x) in real.iter().enumerate() {
            if let Some((m, f)) = state.next(x) {
                out_mama[i] = m;
                out_fama[i] = f;
            }
        }
    }
    [out_mama, out_fama]
}

/// The MAMA line alone (MA's matype 7).
pub(crate) fn mama_line(real: &[f64], fastlimit: f64, slowlimit: f64) -> Vec<f64> {
    let mut out = nan_vec(real.len());
    if real.len() > mama_lookback() {
        let mut state = Mama::new(fastlimit, slowlimit);
        for (o, &x) in out.iter_mut().zip(real) {
            if let Some((m, _)) = state.next(x) {
                *o = m;
            }
        }
    }
    out
}

/// Streaming MAMA: one price in, O(1); the same numbers as [`mama`] (the batch runs
/// through it).
#[derive(Clone)]
pub struct Mama {
    fastlimit: f64,
    slowlimit: f64,
    rad2deg: f64,
    bar: usize,
    /// The last four prices, by bar index modulo 4 (the smoother's trailing value is
    /// the price three bars back).
    prices: [f64; 4],
    wma_sub: f64,
    wma_sum: f64,
    trailing_value: f64,
    even: HilbertBank,
    odd: HilbertBank,
    hilbert_idx: usize,
    period: f64,
    prev_i2: f64,
    prev_q2: f64,
    re: f64,
    im: f64,
    mama: f64,
    fama: f64,
    i1_odd_prev2: f64,
    i1_odd_prev3: f64,
    i1_even_prev2: f64,
    i1_even_prev3: f64,
    prev_phase: f64,
}

impl std::fmt::Debug for Mama {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mama").field("bar", &self.bar).field("mama", &self.mama).field("fama", &self.fama).finish()
    }
}

impl Mama {
    /// A fresh state with TA-Lib's limits (0.01..=0.99 each).
    pub fn new(fastlimit: f64, slowlimit: f64) -> Self {
        Self {
            fastlimit,
            slowlimit,
            rad2deg: 180.0 / (4.0 * 1.0f64.atan()),
            bar: 0,
            prices: [0.0; 4],
            wma_sub: 0.0,
            wma_sum: 0.0,
            trailing_value: 0.0,
            even: HilbertBank::default(),
            odd: HilbertBank::default(),
            hilbert_idx: 0,
            period: 0.0,
            prev_i2: 0.0,
            prev_q2: 0.0,
            re: 0.0,
            im: 0.0,
            mama: 0.0,
            fama: 0.0,
            i1_odd_prev2: 0.0,
            i1_odd_prev3: 0.0,
            i1_even_prev2: 0.0,
            i1_even_prev3: 0.0,
            prev_phase: 0.0,
        }
    }

    /// Takes the next price; returns `(mama, fama)` after the lookback.
    #[inline]
    pub fn next(&mut self, x: f64) -> Option<(f64, f64)> {
        let today = self.bar;
        self.bar += 1;
        self.prices[today % 4] = x;
        // The 4-bar WMA price smoother: primed over three bars, then TA-Lib's running
        // form (the oldest price leaves one bar late).
        match today {
            0 => {
                self.wma_sub = x;
                self.wma_sum = x;
                return None;
            }
            1 | 2 => {
                self.wma_sub += x;
                self.wma_sum += x * (today + 1) as f64;
                return None;
            }
            _ => {}
        }
        self.wma_sub += x;
        self.wma_sub -= self.trailing_value;
        self.wma_sum += x * 4.0;
        self.trailing_value = self.prices[(today + 1) % 4];
        let smoothed = self.wma_sum * 0.1;
        self.wma_sum -= self.wma_sub;
        if today < 12 {
            return None;
        }
        let adjusted = 0.075f64.mul_add(self.period, 0.54);
        let idx = self.hilbert_idx;
        let (q1, ji, jq, i1_prev3);
        if today.is_multiple_of(2) {
            let bank = &mut self.even;
            let detrender = bank.detrender.apply(smoothed, idx, adjusted);
            q1 = bank.q1.apply(detrender, idx, adjusted);
            ji = bank.ji.apply(self.i1_even_prev3, idx, adjusted);
            jq = bank.jq.apply(q1, idx, adjusted);
            self.hilbert_idx = if idx == 2 { 0 } else { idx + 1 };
            i1_prev3 = self.i1_even_prev3;
            self.i1_odd_prev3 = self.i1_odd_prev2;
            self.i1_odd_prev2 = detrender;
        } else {
            let bank = &mut self.odd;
            let detrender = bank.detrender.apply(smoothed, idx, adjusted);
            q1 = bank.q1.apply(detrender, idx, adjusted);
            ji = bank.ji.apply(self.i1_odd_prev3, idx, adjusted);
            jq = bank.jq.apply(q1, idx, adjusted);
            i1_prev3 = self.i1_odd_prev3;
            self.i1_even_prev3 = self.i1_even_prev2;
            self.i1_even_prev2 = detrender;
        }
        let q2 = 0.2f64.mul_add(q1 + ji, 0.8 * self.prev_q2);
        let i2 = 0.2f64.mul_add(i1_prev3 - jq, 0.8 * self.prev_i2);
        let phase = if i1_prev3 != 0.0 { (q1 / i1_prev3).atan() * self.rad2deg } else { 0.0 };

        // The phase change sets the adaptive factor.
        let mut delta = self.prev_phase - phase;
        self.prev_phase = phase;
        if delta < 1.0 {
            delta = 1.0;
        }
        let mut alpha = if delta > 1.0 {
            let a = self.fastlimit / delta;
            if a < self.slowlimit {
                self.slowlimit
            } else {
                a
            }
        } else {
            self.fastlimit
        };
        self.mama = (1.0 - alpha).mul_add(self.mama, alpha * x);
        alpha *= 0.5;
        self.fama = (1.0 - alpha).mul_add(self.fama, alpha * self.mama);
        let out = (today >= mama_lookback()).then_some((self.mama, self.fama));

        // The period for the next bar.
        let (prev_i2, prev_q2) = (self.prev_i2, self.prev_q2);
        self.re = 0.8f64.mul_add(self.re, 0.2 * i2.mul_add(prev_i2, q2 * prev_q2));
        self.im = 0.8f64.mul_add(self.im, 0.2 * ((i2 * prev_q2) - (q2 * prev_i2)));
        self.prev_q2 = q2;
        self.prev_i2 = i2;
        let last = self.period;
        let mut period = last;
        if self.im != 0.0 && self.re != 0.0 {
            period = 360.0 / ((self.im / self.re).atan() * self.rad2deg);
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
        self.period = 0.2f64.mul_add(period, 0.8 * last);
        out
    }
}
