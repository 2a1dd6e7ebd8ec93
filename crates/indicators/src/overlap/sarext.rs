//! SAREXT — TA-Lib's extended parabolic SAR, TA-Lib-exact: SAR with a chosen start
//! (a positive start value starts long at it, a negative one short at its magnitude,
//! zero picks the direction as SAR does), separate acceleration steps for long and
//! short, an offset applied to the SAR on each reversal, and short positions reported
//! as negative values.
//!
//! As in TA-Lib's FMA build, the step is `sar = fma(af, ep − sar, sar)`; the reversal
//! offset is unfused (`sar + sar·offset`, `sar − sar·offset`).

use crate::math::nan_vec;

/// SAREXT's parameters, in TA-Lib's order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SarExtParams {
    /// 0: direction from the first two bars; > 0: start long at this SAR; < 0: start
    /// short at its magnitude.
    pub start_value: f64,
    /// Fraction added to (short) or taken from (long) the SAR on a reversal.
    pub offset_on_reverse: f64,
    /// Long: initial acceleration factor.
    pub accel_init_long: f64,
    /// Long: acceleration step on each new extreme.
    pub accel_long: f64,
    /// Long: acceleration cap.
    pub accel_max_long: f64,
    /// Short: initial acceleration factor.
    pub accel_init_short: f64,
    /// Short: acceleration step on each new extreme.
    pub accel_short: f64,
    /// Short: acceleration cap.
    pub accel_max_short: f64,
}

impl Default for SarExtParams {
    fn default() -> Self {
        Self {
            start_value: 0.0,
            offset_on_reverse: 0.0,
            accel_init_long: 0.02,
            accel_long: 0.02,
            accel_max_long: 0.2,
            accel_init_short: 0.02,
            accel_short: 0.02,
            accel_max_short: 0.2,
        }
    }
}

/// Bars before the first value.
pub fn sarext_lookback() -> usize {
    1
}

/// A new extreme moves `ep` to `price` and steps the factor (capped at `max`); otherwise
/// both stay. Selects, not a branch: a new extreme is a coin toss on market data.
#[inline(always)]
fn extend(new_extreme: bool, price: f64, ep: f64, af: f64, step: f64, max: f64) -> (f64, f64) {
    let stepped = af + step;
    let stepped = if stepped > max { max } else { stepped };
    (if new_extreme { price } else { ep }, if new_extreme { stepped } else { af })
}

/// The SAR state after bar `t`, ready for bar `t + 1`.
#[derive(Debug, Clone, Copy)]
struct State {
    is_long: bool,
    sar: f64,
    ep: f64,
    af_long: f64,
    af_short: f64,
    prev_high: f64,
    prev_low: f64,
}

/// The parameters with TA-Lib's coherence fixes: an initial factor or step above its
/// cap is lowered to the cap.
fn coherent(p: &SarExtParams) -> SarExtParams {
    let mut q = *p;
    if q.accel_init_long > q.accel_max_long {
        q.accel_init_long = q.accel_max_long;
    }
    if q.accel_long > q.accel_max_long {
        q.accel_long = q.accel_max_long;
    }
    if q.accel_init_short > q.accel_max_short {
        q.accel_init_short = q.accel_max_short;
    }
    if q.accel_short > q.accel_max_short {
        q.accel_short = q.accel_max_short;
    }
    q
}

/// The state before bar 1 from bars 0 and 1.
fn start(h0: f64, l0: f64, h1: f64, l1: f64, q: &SarExtParams) -> State {
    let is_long = if q.start_value == 0.0 {
        // Direction from bar 1's one-period −DM, as TA_MINUS_DM(period 1) computes it.
        let diff_p = h1 - h0;
        let diff_m = l0 - l1;
        let minus_dm = if diff_m > 0.0 && diff_p < diff_m { diff_m } else { 0.0 };
        minus_dm <= 0.0
    } else {
        q.start_value > 0.0
    };
    let (ep, sar) = if q.start_value == 0.0 {
        if is_long {
            (h1, l0)
        } else {
            (l1, h0)
        }
    } else if is_long {
        (h1, q.start_value)
    } else {
        (l1, q.start_value.abs())
    };
    State { is_long, sar, ep, af_long: q.accel_init_long, af_short: q.accel_init_short, prev_high: h1, prev_low: l1 }
}

impl State {
    /// Bar `(high, low)`: the output for this bar (negative when short) and the SAR for
    /// the next one.
    #[inline(always)]
    fn step(&mut self, high: f64, low: f64, q: &SarExtParams) -> f64 {
        let (prev_high, prev_low) = (self.prev_high, self.prev_low);
        self.prev_high = high;
        self.prev_low = low;
        // TA-Lib keeps the SAR out of the last two bars' range with two clamps in a row;
        // merged bounds (computed before the SAR is known) leave one on its chain.
        let floor = floor_of(prev_low, low);
        let ceiling = ceiling_of(prev_high, high);
        let mut sar = self.sar;
        let out;
        if self.is_long {
            if low <= sar {
                self.is_long = false;
                sar = raise(self.ep, ceiling);
                if q.offset_on_reverse != 0.0 {
                    sar += sar * q.offset_on_reverse;
                }
                out = 0.0 - sar;
                self.af_short = q.accel_init_short;
                self.ep = low;
                sar = raise(self.af_short.mul_add(self.ep - sar, sar), ceiling);
            } else {
                out = sar;
                (self.ep, self.af_long) =
                    extend(high > self.ep, high, self.ep, self.af_long, q.accel_long, q.accel_max_long);
                sar = lower(self.af_long.mul_add(self.ep - sar, sar), floor);
            }
        } else if high >= sar {
            self.is_long = true;
            sar = lower(self.ep, floor);
            if q.offset_on_reverse != 0.0 {
                sar -= sar * q.offset_on_reverse;
            }
            out = sar;
            self.af_long = q.accel_init_long;
            self.ep = high;
            sar = lower(self.af_long.mul_add(self.ep - sar, sar), floor);
        } else {
            out = 0.0 - sar;
            (self.ep, self.af_short) =
                extend(low < self.ep, low, self.ep, self.af_short, q.accel_short, q.accel_max_short);
            sar = raise(self.af_short.mul_add(self.ep - sar, sar), ceiling);
        }
        self.sar = sar;
        out
    }
}

/// The bound of TA-Lib's `if (sar > a) sar = a; if (sar > b) sar = b;`: the smaller of
/// `a` and `b`, a NaN one ignored (a comparison with NaN is false, so TA-Lib skips it).
#[inline(always)]
fn floor_of(a: f64, b: f64) -> f64 {
    if a > b || a.is_nan() {
        b
    } else {
        a
    }
}

/// The bound of `if (sar < a) sar = a; if (sar < b) sar = b;`, likewise.
#[inline(always)]
fn ceiling_of(a: f64, b: f64) -> f64 {
    if a < b || a.is_nan() {
        b
    } else {
        a
    }
}

/// `sar` kept at or below `floor` (a NaN SAR stays NaN; a NaN floor changes nothing).
#[inline(always)]
fn lower(sar: f64, floor: f64) -> f64 {
    if sar > floor {
        floor
    } else {
        sar
    }
}

/// `sar` kept at or above `ceiling`.
#[inline(always)]
fn raise(sar: f64, ceiling: f64) -> f64 {
    if sar < ceiling {
        ceiling
    } else {
        sar
    }
}

/// SAREXT over `high`/`low`; NaN for the first bar; negative while short.
pub fn sarext(high: &[f64], low: &[f64], params: &SarExtParams) -> Vec<f64> {
    let n = high.len().min(low.len());
    let mut out = nan_vec(high.len());
    if n < 2 {
        return out;
    }
    let q = coherent(params);
    let mut state = start(high[0], low[0], high[1], low[1], &q);
    for (o, (&h, &l)) in out[1..n].iter_mut().zip(high[1..n].iter().zip(&low[1..n])) {
        *o = state.step(h, l, &q);
    }
    out
}

/// Streaming SAREXT: one bar at a time, the batch's values bar for bar.
#[derive(Debug, Clone)]
pub struct SarExt {
    params: SarExtParams,
    first: Option<(f64, f64)>,
    state: Option<State>,
}

impl SarExt {
    /// A fresh state with `params` (TA-Lib's coherence fixes applied).
    pub fn new(params: &SarExtParams) -> Self {
        Self { params: coherent(params), first: None, state: None }
    }

    /// Takes the next bar; returns the SAR (negative while short) from the second bar on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64) -> Option<f64> {
        if let Some(state) = &mut self.state {
            return Some(state.step(high, low, &self.params));
        }
        match self.first {
            None => {
                self.first = Some((high, low));
                None
            }
            Some((h0, l0)) => {
                let mut state = start(h0, l0, high, low, &self.params);
                let out = state.step(high, low, &self.params);
                self.state = Some(state);
                Some(out)
            }
        }
    }
}
