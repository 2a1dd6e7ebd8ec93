//! ADX, ADXR, DX, PLUS_DI, MINUS_DI, PLUS_DM and MINUS_DM — Wilder's directional
//! movement, TA-Lib-exact.
//!
//! +DM/−DM and TR are summed over the first `p − 1` changes, then Wilder-smoothed as
//! `x = x − x/p + today`; DI = 100·DM/TR; DX = 100·|−DI − +DI| / (−DI + +DI). ADX averages
//! the first `p` DX values, then `adx = (adx·(p−1) + dx) / p`; ADXR = (ADX + ADX `p − 1`
//! bars earlier) / 2. TA-Lib 0.8's zero tests are kept: DI and DX need a smoothed TR
//! that is exactly `> 0` (NaN fails), the one-period DI a TR that is not `<= 0` (NaN
//! passes), and DX a +DI + −DI outside TA-Lib's fixed (−1e-14, 1e-14) band.

use crate::math::{is_zero, nan_vec, Ring};
use crate::volatility::atr::true_range;

/// One bar's directional changes and true range, with TA-Lib's update order.
#[derive(Debug, Clone, Default)]
struct DmStep {
    prev_high: f64,
    prev_low: f64,
    prev_close: f64,
}

impl DmStep {
    fn start(high: f64, low: f64, close: f64) -> Self {
        Self { prev_high: high, prev_low: low, prev_close: close }
    }

    /// `(diff_plus, diff_minus, true_range)` for the next bar.
    #[inline(always)]
    fn next(&mut self, high: f64, low: f64, close: f64) -> (f64, f64, f64) {
        let diff_p = high - self.prev_high;
        self.prev_high = high;
        let diff_m = self.prev_low - low;
        self.prev_low = low;
        let tr = true_range(high, low, self.prev_close);
        self.prev_close = close;
        (diff_p, diff_m, tr)
    }
}

#[inline(always)]
fn plus_dm1(diff_p: f64, diff_m: f64) -> Option<f64> {
    (diff_p > 0.0 && diff_p > diff_m).then_some(diff_p)
}

#[inline(always)]
fn minus_dm1(diff_p: f64, diff_m: f64) -> Option<f64> {
    (diff_m > 0.0 && diff_p < diff_m).then_some(diff_m)
}

/// Bars before the first ADX value.
pub fn adx_lookback(period: usize) -> usize {
    (2 * period).saturating_sub(1)
}

/// ADX over high/low/close.
pub fn adx(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let n = close.len();
    let mut out = nan_vec(n);
    if period == 0 || n <= adx_lookback(period) {
        return out;
    }
    let mut state = Adx::new(period);
    for i in 0..n {
        if let Some(v) = state.next(high[i], low[i], close[i]) {
            out[i] = v;
        }
    }
    out
}

/// The smoothed +DM, −DM and TR behind DX and ADX, one bar at a time.
#[derive(Debug, Clone)]
struct DxCore {
    period: usize,
    seen: usize,
    step: DmStep,
    plus_dm: f64,
    minus_dm: f64,
    tr: f64,
}

impl DxCore {
    fn new(period: usize) -> Self {
        Self { period: period.max(1), seen: 0, step: DmStep::default(), plus_dm: 0.0, minus_dm: 0.0, tr: 0.0 }
    }

    /// `None` for bars 0..p−1 (the sums are being seeded); from bar p on, `Some(dx)`,
    /// where `dx` is `None` when TA-Lib's zero tests leave DX undefined.
    #[inline(always)]
    fn next(&mut self, high: f64, low: f64, close: f64) -> Option<Option<f64>> {
        let seen = self.seen;
        self.seen += 1;
        if seen == 0 {
            self.step = DmStep::start(high, low, close);
            return None;
        }
        let pf = self.period as f64;
        let (diff_p, diff_m, tr) = self.step.next(high, low, close);
        if seen < self.period {
            if let Some(m) = minus_dm1(diff_p, diff_m) {
                self.minus_dm += m;
            } else if let Some(d) = plus_dm1(diff_p, diff_m) {
                self.plus_dm += d;
            }
            self.tr += tr;
            return None;
        }
        self.minus_dm -= self.minus_dm / pf;
        self.plus_dm -= self.plus_dm / pf;
        if let Some(m) = minus_dm1(diff_p, diff_m) {
            self.minus_dm += m;
        } else if let Some(d) = plus_dm1(diff_p, diff_m) {
            self.plus_dm += d;
        }
        self.tr = self.tr - self.tr / pf + tr;
        Some(if self.tr > 0.0 {
            let minus_di = 100.0 * (self.minus_dm / self.tr);
            let plus_di = 100.0 * (self.plus_dm / self.tr);
            let sum = minus_di + plus_di;
            (!is_zero(sum)).then(|| 100.0 * ((minus_di - plus_di).abs() / sum))
        } else {
            None
        })
    }
}

/// Streaming ADX.
#[derive(Debug, Clone)]
pub struct Adx {
    core: DxCore,
    dx_seen: usize,
    sum_dx: f64,
    adx: f64,
}

impl Adx {
    /// A fresh state.
    pub fn new(period: usize) -> Self {
        Self { core: DxCore::new(period), dx_seen: 0, sum_dx: 0.0, adx: 0.0 }
    }

    /// Takes the next bar; returns the ADX from bar 2p−1 on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<f64> {
        let dx = self.core.next(high, low, close)?;
        let p = self.core.period;
        let pf = p as f64;
        let k = self.dx_seen;
        self.dx_seen += 1;
        if k < p {
            if let Some(dx) = dx {
                self.sum_dx += dx;
            }
            if k == p - 1 {
                self.adx = self.sum_dx / pf;
                return Some(self.adx);
            }
            return None;
        }
        if let Some(dx) = dx {
            self.adx = (self.adx * (p - 1) as f64 + dx) / pf;
        }
        Some(self.adx)
    }
}

/// Bars before the first ADXR value.
pub fn adxr_lookback(period: usize) -> usize {
    (period + adx_lookback(period)).saturating_sub(1)
}

/// ADXR over high/low/close: the mean of today's ADX and the ADX `period − 1` bars ago.
pub fn adxr(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let mut out = adx(high, low, close, period);
    let n = out.len();
    let lb = adxr_lookback(period);
    if period == 0 || n <= lb {
        return nan_vec(n);
    }
    let lag = period - 1;
    // In place, newest first, so the lagged ADX is still unmodified when it is read.
    for i in (lb..n).rev() {
        out[i] = (out[i] + out[i - lag]) / 2.0;
    }
    out[..lb].fill(f64::NAN);
    out
}

/// Streaming ADXR.
#[derive(Debug, Clone)]
pub struct Adxr {
    adx: Adx,
    lagged: Ring,
}

impl Adxr {
    /// A fresh state.
    pub fn new(period: usize) -> Self {
        Self { adx: Adx::new(period), lagged: Ring::new(period.max(2) - 1) }
    }

    /// Takes the next bar; returns the ADXR from bar 3p−2 on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<f64> {
        let adx = self.adx.next(high, low, close)?;
        let out = self.lagged.is_full().then(|| (adx + self.lagged.oldest()) / 2.0);
        self.lagged.push(adx);
        out
    }
}

/// Bars before the first DX value.
pub fn dx_lookback(period: usize) -> usize {
    period.max(1)
}

/// DX over high/low/close. Where TA-Lib's zero tests leave it undefined, the first value
/// is 0 and later ones repeat the previous value.
pub fn dx(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let n = close.len();
    let mut out = nan_vec(n);
    if period == 0 || n <= dx_lookback(period) {
        return out;
    }
    let mut state = Dx::new(period);
    for i in 0..n {
        if let Some(v) = state.next(high[i], low[i], close[i]) {
            out[i] = v;
        }
    }
    out
}

/// Streaming DX.
#[derive(Debug, Clone)]
pub struct Dx {
    core: DxCore,
    last: f64,
}

impl Dx {
    /// A fresh state.
    pub fn new(period: usize) -> Self {
        Self { core: DxCore::new(period), last: 0.0 }
    }

    /// Takes the next bar; returns the DX from bar p on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<f64> {
        if let Some(dx) = self.core.next(high, low, close)? {
            self.last = dx;
        }
        Some(self.last)
    }
}

/// Bars before the first PLUS_DM / MINUS_DM value.
pub fn dm_lookback(period: usize) -> usize {
    period.saturating_sub(1).max(1)
}

/// +DM over high/low: the raw one-bar +DM for a period of 1, else Wilder-smoothed.
pub fn plus_dm(high: &[f64], low: &[f64], period: usize) -> Vec<f64> {
    directional_movement::<true>(high, low, period)
}

/// −DM over high/low: the raw one-bar −DM for a period of 1, else Wilder-smoothed.
pub fn minus_dm(high: &[f64], low: &[f64], period: usize) -> Vec<f64> {
    directional_movement::<false>(high, low, period)
}

/// The one-bar DM of the side `PLUS` picks, as `(counts, value)`: `value` is meant only
/// where `counts` holds (the flag stays separate so the loops can select, not branch).
#[inline(always)]
fn dm1_of<const PLUS: bool>(diff_p: f64, diff_m: f64) -> (bool, f64) {
    if PLUS {
        (diff_p > 0.0 && diff_p > diff_m, diff_p)
    } else {
        (diff_m > 0.0 && diff_p < diff_m, diff_m)
    }
}

fn directional_movement<const PLUS: bool>(high: &[f64], low: &[f64], period: usize) -> Vec<f64> {
    let n = high.len().min(low.len());
    let lb = dm_lookback(period);
    if period == 0 || n <= lb {
        return nan_vec(n);
    }
    let (high, low) = (&high[..n], &low[..n]);
    let (mut prev_high, mut prev_low) = (high[0], low[0]);
    let mut out = Vec::with_capacity(n);
    out.resize(lb, f64::NAN);
    if period == 1 {
        out.extend(high[1..].iter().zip(&low[1..]).map(|(&h, &l)| {
            let (counts, d) = dm1_of::<PLUS>(h - prev_high, prev_low - l);
            (prev_high, prev_low) = (h, l);
            if counts {
                d
            } else {
                0.0
            }
        }));
        return out;
    }
    let mut dm = 0.0;
    for (&h, &l) in high[1..period].iter().zip(&low[1..period]) {
        let (counts, d) = dm1_of::<PLUS>(h - prev_high, prev_low - l);
        (prev_high, prev_low) = (h, l);
        if counts {
            dm += d;
        }
    }
    out.push(dm);
    let pf = period as f64;
    // `extend` over a zip of slices knows the length up front: no capacity check per bar.
    out.extend(high[period..].iter().zip(&low[period..]).map(|(&h, &l)| {
        let (counts, d) = dm1_of::<PLUS>(h - prev_high, prev_low - l);
        (prev_high, prev_low) = (h, l);
        let kept = dm - dm / pf;
        let added = kept + d;
        dm = if counts { added } else { kept };
        dm
    }));
    out
}

/// Streaming PLUS_DM or MINUS_DM.
#[derive(Debug, Clone)]
pub struct DirectionalMovement {
    period: usize,
    seen: usize,
    prev_high: f64,
    prev_low: f64,
    dm: f64,
    dm1: fn(f64, f64) -> Option<f64>,
}

impl DirectionalMovement {
    /// A fresh +DM state.
    pub fn plus(period: usize) -> Self {
        Self::with_dm1(period, plus_dm1)
    }

    /// A fresh −DM state.
    pub fn minus(period: usize) -> Self {
        Self::with_dm1(period, minus_dm1)
    }

    fn with_dm1(period: usize, dm1: fn(f64, f64) -> Option<f64>) -> Self {
        Self { period: period.max(1), seen: 0, prev_high: 0.0, prev_low: 0.0, dm: 0.0, dm1 }
    }

    /// Takes the next bar; returns the DM from bar max(p − 1, 1) on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64) -> Option<f64> {
        let seen = self.seen;
        self.seen += 1;
        let diff_p = high - self.prev_high;
        let diff_m = self.prev_low - low;
        self.prev_high = high;
        self.prev_low = low;
        if seen == 0 {
            return None;
        }
        let dm = (self.dm1)(diff_p, diff_m);
        let p = self.period;
        if p == 1 {
            return Some(dm.unwrap_or(0.0));
        }
        if seen < p {
            if let Some(d) = dm {
                self.dm += d;
            }
            return (seen == p - 1).then_some(self.dm);
        }
        let pf = p as f64;
        self.dm = match dm {
            Some(d) => self.dm - self.dm / pf + d,
            None => self.dm - self.dm / pf,
        };
        Some(self.dm)
    }
}

/// Bars before the first PLUS_DI / MINUS_DI value.
pub fn di_lookback(period: usize) -> usize {
    period.max(1)
}

/// +DI over high/low/close.
pub fn plus_di(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    directional_index::<true>(high, low, close, period)
}

/// −DI over high/low/close.
pub fn minus_di(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    directional_index::<false>(high, low, close, period)
}

fn directional_index<const PLUS: bool>(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    let n = close.len().min(high.len()).min(low.len());
    let lb = di_lookback(period);
    if n <= lb {
        return nan_vec(close.len());
    }
    let (high, low, close) = (&high[..n], &low[..n], &close[..n]);
    let mut step = DmStep::start(high[0], low[0], close[0]);
    let mut out = Vec::with_capacity(n);
    out.resize(lb, f64::NAN);
    let bars = |from: usize| high[from..].iter().zip(&low[from..]).zip(&close[from..]);
    if period <= 1 {
        // TA-Lib's one-period DI is DM/TR without the ×100.
        out.extend(bars(1).map(|((&h, &l), &c)| {
            let (diff_p, diff_m, tr) = step.next(h, l, c);
            let (counts, dm) = dm1_of::<PLUS>(diff_p, diff_m);
            #[allow(clippy::neg_cmp_op_on_partial_ord)] // NaN must pass, as in TA-Lib
            if counts && !(tr <= 0.0) {
                dm / tr
            } else {
                0.0
            }
        }));
        return out;
    }
    let pf = period as f64;
    let mut dm = 0.0;
    let mut tr_sum = 0.0;
    for ((&h, &l), &c) in bars(1).take(period - 1) {
        let (diff_p, diff_m, tr) = step.next(h, l, c);
        let (counts, d) = dm1_of::<PLUS>(diff_p, diff_m);
        if counts {
            dm += d;
        }
        tr_sum += tr;
    }
    out.extend(bars(period).map(|((&h, &l), &c)| {
        let (diff_p, diff_m, tr) = step.next(h, l, c);
        let (counts, d) = dm1_of::<PLUS>(diff_p, diff_m);
        let kept = dm - dm / pf;
        let added = kept + d;
        dm = if counts { added } else { kept };
        tr_sum = tr_sum - tr_sum / pf + tr;
        if tr_sum > 0.0 {
            100.0 * (dm / tr_sum)
        } else {
            0.0
        }
    }));
    out
}
