//! SMI — Blau's stochastic momentum index (TA-Lib 0.8): the close's distance from the
//! middle of the `p`-bar high/low range and that range, each smoothed by a slow then a
//! fast EMA, `smi = 100 · num / (den / 2)`, and a signal EMA of it. Every EMA stage is
//! seeded with the SMA of its first inputs and stepped as TA-Lib's EMA; `smi` is 0
//! where the smoothed range is not positive.

use crate::math::{nan_vec, WindowHighest, WindowLowest};
use crate::overlap::ema::Ema;

/// Bars before the first SMI value.
pub fn smi_lookback(timeperiod: usize, fastperiod: usize, slowperiod: usize, signalperiod: usize) -> usize {
    timeperiod.saturating_sub(1)
        + slowperiod.saturating_sub(1)
        + fastperiod.saturating_sub(1)
        + signalperiod.saturating_sub(1)
}

/// `[smi, smisignal]` over `high`/`low`/`close`; NaN inside the lookback.
pub fn smi(
    high: &[f64],
    low: &[f64],
    close: &[f64],
    timeperiod: usize,
    fastperiod: usize,
    slowperiod: usize,
    signalperiod: usize,
) -> [Vec<f64>; 2] {
    let n = high.len().min(low.len()).min(close.len());
    let mut smi_out = nan_vec(n);
    let mut signal_out = nan_vec(n);
    let lb = smi_lookback(timeperiod, fastperiod, slowperiod, signalperiod);
    if timeperiod == 0 || fastperiod == 0 || slowperiod == 0 || signalperiod == 0 || n <= lb {
        return [smi_out, signal_out];
    }
    let (mut slow_num, mut slow_den) = (Ema::new(slowperiod), Ema::new(slowperiod));
    let (mut fast_num, mut fast_den) = (Ema::new(fastperiod), Ema::new(fastperiod));
    let mut signal = Ema::new(signalperiod);
    let (mut hi, mut lo) = (WindowHighest::new(), WindowLowest::new());
    for today in timeperiod - 1..n {
        let trailing = today + 1 - timeperiod;
        let (highest, _) = hi.update(high, trailing, today);
        let (lowest, _) = lo.update(low, trailing, today);
        let den = highest - lowest;
        let num = close[today] - (highest + lowest) * 0.5;
        let (Some(num), Some(den)) = (slow_num.next(num), slow_den.next(den)) else {
            continue;
        };
        let (Some(num), Some(den)) = (fast_num.next(num), fast_den.next(den)) else {
            continue;
        };
        let half_den = 0.5 * den;
        let value = if half_den > 0.0 { 100.0 * num / half_den } else { 0.0 };
        if let Some(sig) = signal.next(value) {
            smi_out[today] = value;
            signal_out[today] = sig;
        }
    }
    [smi_out, signal_out]
}
