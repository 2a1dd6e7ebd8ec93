//! STOCH, STOCHF and STOCHRSI — stochastic oscillators, TA-Lib-exact.
//!
//! Raw %K = 100 · ((close − lowest low) / (highest high − lowest low)), 0 when the range
//! is zero within 1e-14 of the operands' magnitude (TA-Lib's scale-aware test). STOCHF smooths it once (%D); STOCH smooths %K, then smooths that again.
//! STOCHRSI is STOCHF applied to RSI (high = low = close = RSI).

use super::rsi::{rsi, rsi_lookback};
use crate::math::{is_zero_scaled, nan_vec, sliding_high_low, Ring};
use crate::overlap::ema::Ema;
use crate::overlap::ma::{ma, ma_lookback, MaType};
use crate::overlap::sma::Sma;

/// Raw %K for bars `fastk−1..n`, as a vector starting at bar `fastk−1`.
fn raw_k(high: &[f64], low: &[f64], close: &[f64], fastk: usize) -> Vec<f64> {
    let n = close.len();
    let lb = fastk - 1;
    let mut out = Vec::with_capacity(n - lb);
    sliding_high_low(high, low, fastk, |today, h, l| {
        let range = h - l;
        out.push(if !is_zero_scaled(range, h.abs() + l.abs()) { 100.0 * ((close[today] - l) / range) } else { 0.0 });
    });
    out
}

/// Bars before the first STOCH value.
pub fn stoch_lookback(fastk: usize, slowk: usize, slowk_ma: MaType, slowd: usize, slowd_ma: MaType) -> usize {
    fastk.saturating_sub(1) + ma_lookback(slowk, slowk_ma) + ma_lookback(slowd, slowd_ma)
}

/// `[slowk, slowd]`. The arguments are TA-Lib's, in TA-Lib's order.
#[allow(clippy::too_many_arguments)]
pub fn stoch(
    high: &[f64],
    low: &[f64],
    close: &[f64],
    fastk: usize,
    slowk: usize,
    slowk_ma: MaType,
    slowd: usize,
    slowd_ma: MaType,
) -> [Vec<f64>; 2] {
    let n = close.len();
    let (mut k_out, mut d_out) = (nan_vec(n), nan_vec(n));
    let lb = stoch_lookback(fastk, slowk, slowk_ma, slowd, slowd_ma);
    if fastk == 0 || n <= lb {
        return [k_out, d_out];
    }
    let lbk = fastk - 1;
    let lbks = ma_lookback(slowk, slowk_ma);
    let k = raw_k(high, low, close, fastk);
    let slow_k = ma(&k, slowk, slowk_ma);
    let slow_d = ma(&slow_k[lbks..], slowd, slowd_ma);
    for bar in lb..n {
        k_out[bar] = slow_k[bar - lbk];
        d_out[bar] = slow_d[bar - lbk - lbks];
    }
    [k_out, d_out]
}

/// Bars before the first STOCHF value.
pub fn stochf_lookback(fastk: usize, fastd: usize, fastd_ma: MaType) -> usize {
    fastk.saturating_sub(1) + ma_lookback(fastd, fastd_ma)
}

/// `[fastk, fastd]`.
pub fn stochf(high: &[f64], low: &[f64], close: &[f64], fastk: usize, fastd: usize, fastd_ma: MaType) -> [Vec<f64>; 2] {
    let n = close.len();
    let (mut k_out, mut d_out) = (nan_vec(n), nan_vec(n));
    let lb = stochf_lookback(fastk, fastd, fastd_ma);
    if fastk == 0 || n <= lb {
        return [k_out, d_out];
    }
    let lbk = fastk - 1;
    let k = raw_k(high, low, close, fastk);
    let d = ma(&k, fastd, fastd_ma);
    k_out[lb..].copy_from_slice(&k[lb - lbk..]);
    d_out[lb..].copy_from_slice(&d[lb - lbk..]);
    [k_out, d_out]
}

/// Bars before the first STOCHRSI value.
pub fn stochrsi_lookback(period: usize, fastk: usize, fastd: usize, fastd_ma: MaType) -> usize {
    rsi_lookback(period) + stochf_lookback(fastk, fastd, fastd_ma)
}

/// `[fastk, fastd]` of the stochastic of RSI.
pub fn stochrsi(real: &[f64], period: usize, fastk: usize, fastd: usize, fastd_ma: MaType) -> [Vec<f64>; 2] {
    let n = real.len();
    let lb = stochrsi_lookback(period, fastk, fastd, fastd_ma);
    if fastk == 0 || n <= lb {
        return [nan_vec(n), nan_vec(n)];
    }
    let r = rsi(real, period);
    let valid = &r[rsi_lookback(period)..];
    let [k, d] = stochf(valid, valid, valid, fastk, fastd, fastd_ma);
    let mut k_out = nan_vec(n);
    let mut d_out = nan_vec(n);
    let off = rsi_lookback(period);
    k_out[off..].copy_from_slice(&k);
    d_out[off..].copy_from_slice(&d);
    [k_out, d_out]
}

/// A streaming moving average of the kinds the stochastic smoothing uses.
#[derive(Debug, Clone)]
pub(crate) enum StreamMa {
    Copy,
    Sma(Sma),
    Ema(Ema),
}

impl StreamMa {
    pub(crate) fn new(period: usize, matype: MaType) -> Option<Self> {
        if period <= 1 {
            return Some(StreamMa::Copy);
        }
        match matype {
            MaType::Sma => Some(StreamMa::Sma(Sma::new(period))),
            MaType::Ema => Some(StreamMa::Ema(Ema::new(period))),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn next(&mut self, x: f64) -> Option<f64> {
        match self {
            StreamMa::Copy => Some(x),
            StreamMa::Sma(s) => s.next(x),
            StreamMa::Ema(e) => e.next(x),
        }
    }
}

/// Streaming STOCH (SMA or EMA smoothing): one bar in, O(fastk) for the window extremes.
#[derive(Debug, Clone)]
pub struct Stoch {
    highs: Ring,
    lows: Ring,
    slow_k: StreamMa,
    slow_d: StreamMa,
}

impl Stoch {
    /// A fresh state; `None` when a smoothing type other than SMA or EMA is asked for.
    pub fn new(fastk: usize, slowk: usize, slowk_ma: MaType, slowd: usize, slowd_ma: MaType) -> Option<Self> {
        Some(Self {
            highs: Ring::new(fastk),
            lows: Ring::new(fastk),
            slow_k: StreamMa::new(slowk, slowk_ma)?,
            slow_d: StreamMa::new(slowd, slowd_ma)?,
        })
    }

    /// Takes the next bar; returns `(slowk, slowd)` once both are seeded.
    #[inline]
    pub fn next(&mut self, high: f64, low: f64, close: f64) -> Option<(f64, f64)> {
        self.highs.push(high);
        self.lows.push(low);
        if !self.highs.is_full() {
            return None;
        }
        let h = self.highs.values().iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let l = self.lows.values().iter().copied().fold(f64::INFINITY, f64::min);
        let range = h - l;
        let k = if !is_zero_scaled(range, h.abs() + l.abs()) { 100.0 * ((close - l) / range) } else { 0.0 };
        let sk = self.slow_k.next(k)?;
        let sd = self.slow_d.next(sk)?;
        Some((sk, sd))
    }
}
