//! ADX, PLUS_DI and MINUS_DI — Wilder's directional movement, TA-Lib-exact.
//!
//! +DM/−DM and TR are summed over the first `p − 1` changes, then Wilder-smoothed as
//! `x = x − x/p + today`; DI = 100·DM/TR. ADX averages the first `p` DX values, then
//! `adx = (adx·(p−1) + dx) / p`. TA-Lib's zero tests (on TR and on +DI + −DI) are kept.

use crate::math::{is_zero, nan_vec};
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

/// Streaming ADX.
#[derive(Debug, Clone)]
pub struct Adx {
    period: usize,
    seen: usize,
    step: DmStep,
    plus_dm: f64,
    minus_dm: f64,
    tr: f64,
    sum_dx: f64,
    adx: f64,
}

impl Adx {
    /// A fresh state.
    pub fn new(period: usize) -> Self {
        Self {
            period: period.max(1),
            seen: 0,
            step: DmStep::default(),
            plus_dm: 0.0,
            minus_dm: 0.0,
            tr: 0.0,
            sum_dx: 0.0,
            adx: 0.0,
        }
    }

    /// Takes the next bar; returns the ADX from bar 2p−1 on.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<f64> {
        let seen = self.seen;
        self.seen += 1;
        if seen == 0 {
            self.step = DmStep::start(high, low, close);
            return None;
        }
        let p = self.period;
        let pf = p as f64;
        let (diff_p, diff_m, tr) = self.step.next(high, low, close);
        if seen < p {
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
        let dx = if !is_zero(self.tr) {
            let minus_di = 100.0 * (self.minus_dm / self.tr);
            let plus_di = 100.0 * (self.plus_dm / self.tr);
            let sum = minus_di + plus_di;
            (!is_zero(sum)).then(|| 100.0 * ((minus_di - plus_di).abs() / sum))
        } else {
            None
        };
        if seen < 2 * p {
            if let Some(dx) = dx {
                self.sum_dx += dx;
            }
            if seen == 2 * p - 1 {
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

/// Bars before the first PLUS_DI / MINUS_DI value.
pub fn di_lookback(period: usize) -> usize {
    period.max(1)
}

/// +DI over high/low/close.
pub fn plus_di(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    directional_index(high, low, close, period, plus_dm1)
}

/// −DI over high/low/close.
pub fn minus_di(high: &[f64], low: &[f64], close: &[f64], period: usize) -> Vec<f64> {
    directional_index(high, low, close, period, minus_dm1)
}

fn directional_index(
    high: &[f64],
    low: &[f64],
    close: &[f64],
    period: usize,
    dm1: fn(f64, f64) -> Option<f64>,
) -> Vec<f64> {
    let n = close.len();
    let mut out = nan_vec(n);
    let lb = di_lookback(period);
    if n <= lb {
        return out;
    }
    let mut step = DmStep::start(high[0], low[0], close[0]);
    if period <= 1 {
        // TA-Lib's one-period DI is DM/TR without the ×100.
        for i in 1..n {
            let (diff_p, diff_m, tr) = step.next(high[i], low[i], close[i]);
            out[i] = match dm1(diff_p, diff_m) {
                Some(dm) if !is_zero(tr) => dm / tr,
                _ => 0.0,
            };
        }
        return out;
    }
    let pf = period as f64;
    let mut dm = 0.0;
    let mut tr_sum = 0.0;
    for i in 1..period {
        let (diff_p, diff_m, tr) = step.next(high[i], low[i], close[i]);
        if let Some(d) = dm1(diff_p, diff_m) {
            dm += d;
        }
        tr_sum += tr;
    }
    for i in period..n {
        let (diff_p, diff_m, tr) = step.next(high[i], low[i], close[i]);
        dm = match dm1(diff_p, diff_m) {
            Some(d) => dm - dm / pf + d,
            None => dm - dm / pf,
        };
        tr_sum = tr_sum - tr_sum / pf + tr;
        out[i] = if !is_zero(tr_sum) { 100.0 * (dm / tr_sum) } else { 0.0 };
    }
    out
}
