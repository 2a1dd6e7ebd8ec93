//! The Hilbert-transform machinery every HT_* function shares, written once:
//! - [`Smoother`]: the 4-3-2-1 price smoother;
//! - [`Hilbert`]: the four Hilbert transforms (detrender, Q1, jI, jQ), kept apart for odd
//!   and even bars, and the homodyne discriminator that measures the dominant-cycle
//!   period;
//! - [`Phase`]: the dominant-cycle phase, with [`SinCosTable`] (the phase loop's sines
//!   and cosines, computed once instead of per bar);
//! - [`Trendline`]: the raw price averaged over the cycle, weighted 4-3-2-1;
//! - [`Front`], [`Recent`]: what the streaming states keep between bars.
//!
//! The arithmetic is TA-Lib 0.8's as its FMA build executes it (read from the wheel's
//! machine code): the transforms and the smoother are plain adds and multiplies in the
//! macro's order; these are fused:
//! - `adjustedPrevPeriod = fma(0.075, period, 0.54)`;
//! - `Q2 = fma(0.2, Q1 + jI, 0.8·prevQ2)`, `I2 = fma(0.2, I1 − jQ, 0.8·prevI2)`;
//! - `Re = fma(0.8, Re, 0.2·fma(I2, prevI2, Q2·prevQ2))`,
//!   `Im = fma(0.8, Im, 0.2·(I2·prevQ2 − Q2·prevI2))`;
//! - `period = fma(0.2, period, 0.8·previous)`, `smoothPeriod = fma(0.67, smoothPeriod, 0.33·period)`;
//! - the trendline's `fma(2, i2, fma(avg, 4, 3·i1))`.
//!
//! The phase loop's `realPart += sin·price` and `imagPart += cos·price` are not fused.
//! `atan`, `sin` and `cos` are the C library's, as TA-Lib calls them (its `sincos` gives
//! the same bits as `sin` and `cos`).
//!
//! Speed: every bar's period depends on the previous bar's through `atan` and two
//! divisions, a chain of roughly 150 cycles that TA-Lib runs too; HT_DCPERIOD,
//! HT_PHASOR and HT_TRENDLINE are bound by it and run at TA-Lib's speed. The phase
//! functions skip TA-Lib's per-bar `sincos` calls (the table) and run 3-7× faster.

use std::sync::OnceLock;

/// `180 / π` as TA-Lib computes it (`180 / (4·atan(1))`, the same double as `45 / atan(1)`).
pub(crate) const RAD2DEG: f64 = 57.295_779_513_082_32;
/// `2π` as TA-Lib computes it (`8·atan(1)`: the same double as `TAU`).
pub(crate) const TWO_PI: f64 = std::f64::consts::TAU;
/// `π / 180` as TA-Lib computes it (`1 / rad2Deg`).
pub(crate) const DEG2RAD: f64 = 0.017_453_292_519_943_295;

const A: f64 = 0.0962;
const B: f64 = 0.5769;

/// TA-Lib's price smoother: a 4-3-2-1 weighted average of the last four prices, kept as
/// a running sum and a running sum of weights' differences (its WMA trick).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Smoother {
    sub: f64,
    sum: f64,
    trailing: f64,
}

impl Smoother {
    /// Seeded with the first three prices (weights 1, 2, 3).
    #[inline]
    pub(crate) fn new(x0: f64, x1: f64, x2: f64) -> Self {
        let mut sub = x0;
        let mut sum = x0;
        sub += x1;
        sum += x1 * 2.0;
        sub += x2;
        sum += x2 * 3.0;
        Self { sub, sum, trailing: 0.0 }
    }

    /// Takes `x` (bar `t`) and `next_trailing` (bar `t − 3`, which leaves the window on
    /// the next step); returns the smoothed price of bar `t`.
    #[inline(always)]
    pub(crate) fn step(&mut self, x: f64, next_trailing: f64) -> f64 {
        self.sub += x;
        self.sub -= self.trailing;
        self.sum += x * 4.0;
        self.trailing = next_trailing;
        let smoothed = self.sum * 0.1;
        self.sum -= self.sub;
        smoothed
    }
}

/// The streaming states' front end: counts bars, keeps the last three prices, seeds the
/// smoother on bar 2 and steps it after; yields `(bar index, smoothed price)` from bar
/// `start` on (12 for HT_DCPERIOD and HT_PHASOR, 37 for the others), as the batch
/// kernels start their Hilbert loop there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Front {
    bars: usize,
    /// `x[t−1], x[t−2], x[t−3]`.
    last: [f64; 3],
    smoother: Smoother,
    start: usize,
}

impl Front {
    pub(crate) fn new(start: usize) -> Self {
        Self { bars: 0, last: [0.0; 3], smoother: Smoother::new(0.0, 0.0, 0.0), start }
    }

    /// Takes bar `x`.
    #[inline]
    pub(crate) fn push(&mut self, x: f64) -> Option<(usize, f64)> {
        let t = self.bars;
        self.bars += 1;
        let out = if t < 3 {
            if t == 2 {
                self.smoother = Smoother::new(self.last[1], self.last[0], x);
            }
            None
        } else {
            let smoothed = self.smoother.step(x, self.last[2]);
            (t >= self.start).then_some((t, smoothed))
        };
        self.last = [x, self.last[0], self.last[1]];
        out
    }
}

/// The last 50 raw prices, for the streaming trendline: written twice so they are one
/// slice.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recent {
    prices: [f64; 2 * MAX_CYCLE],
    pos: usize,
    len: usize,
}

impl Recent {
    pub(crate) fn new() -> Self {
        Self { prices: [0.0; 2 * MAX_CYCLE], pos: 0, len: 0 }
    }

    /// Adds `x`; returns the prices so far (the last 50 at most), oldest first.
    #[inline]
    pub(crate) fn push(&mut self, x: f64) -> &[f64] {
        let pos = self.pos;
        self.prices[pos] = x;
        self.prices[pos + MAX_CYCLE] = x;
        self.pos = if pos + 1 >= MAX_CYCLE { 0 } else { pos + 1 };
        self.len = (self.len + 1).min(MAX_CYCLE);
        &self.prices[pos + MAX_CYCLE + 1 - self.len..=pos + MAX_CYCLE]
    }
}

/// One Hilbert transform (TA-Lib's `DO_HILBERT_ODD/EVEN`) for one parity. TA-Lib keeps
/// a three-slot ring per parity, read and written at the same position, which advances
/// once per bar of that parity: a FIFO of three, which is how it is kept here (no index,
/// so the slots can live in registers).
#[derive(Debug, Clone, Copy, Default)]
struct Transform {
    fifo: [f64; 3],
    prev: f64,
    prev_input: f64,
}

impl Transform {
    #[inline(always)]
    fn step(&mut self, input: f64, adjusted: f64) -> f64 {
        let t = A * input;
        let mut v = 0.0 - self.fifo[0];
        self.fifo = [self.fifo[1], self.fifo[2], t];
        v += t;
        v -= self.prev;
        self.prev = B * self.prev_input;
        v += self.prev;
        self.prev_input = input;
        v * adjusted
    }
}

/// The four transforms of one parity, and that parity's I1 (the detrender of the other
/// parity's bars, three bars late).
#[derive(Debug, Clone, Copy, Default)]
struct Lane {
    detrender: Transform,
    q1: Transform,
    ji: Transform,
    jq: Transform,
    i1_prev2: f64,
    i1_prev3: f64,
}

/// The Hilbert transforms and the homodyne discriminator, bar by bar.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Hilbert {
    even: Lane,
    odd: Lane,
    prev_q2: f64,
    prev_i2: f64,
    re: f64,
    im: f64,
    /// The (unsmoothed) period after the last step.
    pub(crate) period: f64,
    /// The smoothed dominant-cycle period after the last step (HT_DCPERIOD).
    pub(crate) smooth_period: f64,
    /// The in-phase component of the last step (the detrender three bars back).
    pub(crate) i1: f64,
    /// The quadrature component of the last step.
    pub(crate) q1_value: f64,
}

/// One bar's transforms in `lane` (this bar's parity); its detrender goes to `other`.
/// Returns `(I1, Q1, Q2, I2)`.
#[inline(always)]
fn lane_step(lane: &mut Lane, other: &mut Lane, smoothed: f64, adjusted: f64, prev_q2: f64, prev_i2: f64) -> [f64; 4] {
    let detrender = lane.detrender.step(smoothed, adjusted);
    let q1 = lane.q1.step(detrender, adjusted);
    let i1 = lane.i1_prev3;
    let ji = lane.ji.step(i1, adjusted);
    let jq = lane.jq.step(q1, adjusted);
    let q2 = 0.2f64.mul_add(q1 + ji, 0.8 * prev_q2);
    let i2 = 0.2f64.mul_add(i1 - jq, 0.8 * prev_i2);
    other.i1_prev3 = other.i1_prev2;
    other.i1_prev2 = detrender;
    [i1, q1, q2, i2]
}

impl Hilbert {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// One bar: `smoothed` is the smoother's output, `odd` the parity of the bar's index
    /// in the series (TA-Lib keeps separate transforms for odd and even bars).
    #[inline(always)]
    pub(crate) fn step(&mut self, smoothed: f64, odd: bool) {
        let adjusted = 0.075f64.mul_add(self.period, 0.54);
        // Two inlined copies, one per parity, so each addresses its lane directly.
        let [i1, q1, q2, i2] = if odd {
            lane_step(&mut self.odd, &mut self.even, smoothed, adjusted, self.prev_q2, self.prev_i2)
        } else {
            lane_step(&mut self.even, &mut self.odd, smoothed, adjusted, self.prev_q2, self.prev_i2)
        };
        self.i1 = i1;
        self.q1_value = q1;

        let (prev_q2, prev_i2) = (self.prev_q2, self.prev_i2);
        self.re = 0.8f64.mul_add(self.re, 0.2 * i2.mul_add(prev_i2, q2 * prev_q2));
        self.im = 0.8f64.mul_add(self.im, 0.2 * (i2 * prev_q2 - q2 * prev_i2));
        self.prev_q2 = q2;
        self.prev_i2 = i2;

        let previous = self.period;
        // TA-Lib clamps the new estimate to [0.67, 1.5]·previous, then to [6, 50]. The
        // two clamps compose into one, to [clamp(0.67·previous), clamp(1.5·previous)]
        // (previous ≥ 0, so the bounds are ordered; a NaN anywhere gives NaN either
        // way), whose bounds are known before the estimate: they are computed off the
        // dependency chain that runs through `atan`, leaving two comparisons on it.
        let low = (0.67 * previous).clamp(6.0, 50.0);
        let high = (1.5 * previous).clamp(6.0, 50.0);
        let mut period = previous;
        if self.im != 0.0 && self.re != 0.0 {
            period = 360.0 / ((self.im / self.re).atan() * RAD2DEG);
        }
        if period > high {
            period = high;
        }
        if period < low {
            period = low;
        }
        period = 0.2f64.mul_add(period, 0.8 * previous);
        self.period = period;
        self.smooth_period = 0.67f64.mul_add(self.smooth_period, 0.33 * period);
    }
}

/// Sines and cosines of `i·2π / p` for `p` in 1..=50 and `i < p`, computed the way the
/// phase loops compute them (`(i·2π) / p`, then the C library's `sin` and `cos`), so a
/// lookup returns the very bits TA-Lib's per-bar `sincos` calls return.
#[derive(Debug)]
pub(crate) struct SinCosTable {
    /// Row `p` starts at `p·(p−1)/2`; each entry is `(sin, cos)`.
    values: Vec<(f64, f64)>,
}

/// Longest cycle the phase loops look back over.
pub(crate) const MAX_CYCLE: usize = 50;

impl SinCosTable {
    /// The `p` entries of cycle length `p` (1..=50).
    #[inline(always)]
    pub(crate) fn row(&self, p: usize) -> &[(f64, f64)] {
        let p = p.min(MAX_CYCLE);
        let start = p * p.saturating_sub(1) / 2;
        &self.values[start..start + p]
    }
}

/// The shared table, built on first use.
pub(crate) fn sin_cos_table() -> &'static SinCosTable {
    static TABLE: OnceLock<SinCosTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut values = Vec::with_capacity(MAX_CYCLE * (MAX_CYCLE + 1) / 2);
        for p in 1..=MAX_CYCLE {
            for i in 0..p {
                let angle = (i as f64 * TWO_PI) / p as f64;
                values.push((angle.sin(), angle.cos()));
            }
        }
        SinCosTable { values }
    })
}

/// The dominant-cycle phase (TA-Lib's DCPhase): the last 50 smoothed prices correlated
/// with one cycle of sine and cosine at the measured period. Shared by HT_DCPHASE,
/// HT_SINE and HT_TRENDMODE.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Phase {
    /// The ring of smoothed prices, each written twice (at `pos` and `pos + 50`) so the
    /// last `p` values are one contiguous slice.
    prices: [f64; 2 * MAX_CYCLE],
    pos: usize,
    /// The phase in degrees after the last update.
    pub(crate) phase: f64,
}

impl Phase {
    pub(crate) fn new() -> Self {
        Self { prices: [0.0; 2 * MAX_CYCLE], pos: 0, phase: 0.0 }
    }

    /// One bar: remembers `smoothed` and recomputes the phase over the last
    /// `(int)(smooth_period + 0.5)` smoothed prices.
    #[inline(always)]
    pub(crate) fn update(&mut self, table: &SinCosTable, smoothed: f64, smooth_period: f64) -> f64 {
        let pos = self.pos;
        self.prices[pos] = smoothed;
        self.prices[pos + MAX_CYCLE] = smoothed;
        let cycle = cycle_length(smooth_period);
        let mut real = 0.0;
        let mut imag = 0.0;
        if cycle > 0 {
            // Newest first: prices[pos + 50], prices[pos + 49], ...
            let window = &self.prices[pos + MAX_CYCLE + 1 - cycle..=pos + MAX_CYCLE];
            for (&(s, c), &x) in table.row(cycle).iter().zip(window.iter().rev()) {
                real += s * x;
                imag += c * x;
            }
        }
        let mut phase = self.phase;
        let magnitude = imag.abs();
        if magnitude > 0.0 {
            phase = (real / imag).atan() * RAD2DEG;
        } else if magnitude <= 0.01 {
            if real < 0.0 {
                phase -= 90.0;
            } else if real > 0.0 {
                phase += 90.0;
            }
        }
        phase += 90.0;
        // One bar of the smoother's lag.
        phase += 360.0 / smooth_period;
        if imag < 0.0 {
            phase += 180.0;
        }
        if phase > 315.0 {
            phase -= 360.0;
        }
        self.phase = phase;
        self.pos = if pos + 1 >= MAX_CYCLE { 0 } else { pos + 1 };
        phase
    }
}

/// The instantaneous trendline (HT_TRENDLINE, and HT_TRENDMODE's reference line): the
/// raw price averaged over the dominant cycle, then a 4-3-2-1 weighting of the last
/// four averages, `(fma(avg, 4, 3·i1) + 2·i2 (fused) + i3) / 10` as TA-Lib's build
/// computes it.
///
/// TA-Lib sums the newest `count` prices one add at a time once the bar's period is
/// known, which puts a long chain of adds after the period's own long chain. The sums of
/// the newest 1, 2, 3, … prices are that loop's partial sums, so [`Trendline::prepare`]
/// computes them before the period is known (up to a guess: the previous count plus
/// two, the count moving slowly), overlapping with the Hilbert step, and
/// [`Trendline::update`] picks the right one, extending it in the same order when the
/// guess fell short. The bits are the loop's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Trendline {
    i1: f64,
    i2: f64,
    i3: f64,
    guess: usize,
    prepared: usize,
    partial: [f64; MAX_CYCLE + 1],
}

impl Default for Trendline {
    fn default() -> Self {
        Self { i1: 0.0, i2: 0.0, i3: 0.0, guess: 2, prepared: 0, partial: [0.0; MAX_CYCLE + 1] }
    }
}

impl Trendline {
    /// Before the bar's Hilbert step: the partial sums over `recent` (which ends with
    /// this bar's raw price), newest first.
    #[inline(always)]
    pub(crate) fn prepare(&mut self, recent: &[f64]) {
        let count = self.guess.min(recent.len());
        let mut sum = 0.0;
        for (slot, &x) in self.partial[1..=count].iter_mut().zip(recent.iter().rev()) {
            sum += x;
            *slot = sum;
        }
        self.prepared = count;
    }

    /// One bar, after [`Trendline::prepare`] on the same `recent` (at least the last 50
    /// prices, or every price so far): returns the trendline.
    #[inline(always)]
    pub(crate) fn update(&mut self, recent: &[f64], smooth_period: f64) -> f64 {
        let cycle = cycle_length(smooth_period);
        let count = cycle.min(recent.len());
        let sum = if count <= self.prepared {
            self.partial[count]
        } else {
            let mut sum = self.partial[self.prepared];
            for &x in recent[..recent.len() - self.prepared].iter().rev().take(count - self.prepared) {
                sum += x;
            }
            sum
        };
        self.guess = (count + 2).min(MAX_CYCLE);
        let average = if cycle > 0 { sum / cycle as f64 } else { sum };
        let line = (2.0f64.mul_add(self.i2, average.mul_add(4.0, 3.0 * self.i1)) + self.i3) / 10.0;
        self.i3 = self.i2;
        self.i2 = self.i1;
        self.i1 = average;
        line
    }
}

/// TA-Lib's `DCPeriodInt = (int)(smoothPeriod + 0.5)`, as a loop count: 0 when not
/// positive (NaN included), at most 50 (the smoothed period never exceeds 50).
#[inline(always)]
pub(crate) fn cycle_length(smooth_period: f64) -> usize {
    let p = smooth_period + 0.5;
    if p >= 1.0 {
        (p as usize).min(MAX_CYCLE)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_talibs() {
        let quarter = 1f64.atan();
        assert_eq!(RAD2DEG.to_bits(), (180.0 / (4.0 * quarter)).to_bits());
        assert_eq!(RAD2DEG.to_bits(), (45.0 / quarter).to_bits());
        assert_eq!(TWO_PI.to_bits(), (quarter * 8.0).to_bits());
        assert_eq!(DEG2RAD.to_bits(), (1.0 / RAD2DEG).to_bits());
    }

    #[test]
    fn table_rows() {
        let t = sin_cos_table();
        assert_eq!(t.row(1), &[(0f64.sin(), 0f64.cos())]);
        assert_eq!(t.row(4).len(), 4);
        assert_eq!(t.row(50).len(), 50);
        assert_eq!(t.row(7)[3].0.to_bits(), ((3.0 * TWO_PI) / 7.0).sin().to_bits());
    }
}
