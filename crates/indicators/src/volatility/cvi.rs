//! CVI — Chaikin's volatility, TA-Lib-exact: E = TA-Lib's EMA of `high − low` (seeded
//! with the SMA of the first `period` ranges, then `fma(range − E, k, E)`), and
//! CVI = 100 · (E − E[roc bars back]) / E[roc bars back], 0 where that lagged E is 0.

use crate::math::{nan_vec, per_to_k};

/// Bars before the first value.
pub fn cvi_lookback(period: usize, roc_period: usize) -> usize {
    period.saturating_sub(1) + roc_period
}

/// CVI over high/low.
pub fn cvi(high: &[f64], low: &[f64], period: usize, roc_period: usize) -> Vec<f64> {
    let n = high.len();
    let period = period.max(1);
    let lb = cvi_lookback(period, roc_period);
    if n <= lb {
        return nan_vec(n);
    }
    let k = per_to_k(period);
    // The EMA goes into `out` first (from its seed bar on); each CVI value then
    // replaces its bar's EMA, last bar first, so the lagged EMA it reads is still there.
    let mut out = nan_vec(n);
    let mut sum = 0.0;
    for i in 0..period {
        sum += high[i] - low[i];
    }
    let mut ema = sum / period as f64;
    out[period - 1] = ema;
    for i in period..n {
        ema = ((high[i] - low[i]) - ema).mul_add(k, ema);
        out[i] = ema;
    }
    for t in (lb..n).rev() {
        let lagged = out[t - roc_period];
        out[t] = if lagged != 0.0 { 100.0 * ((out[t] - lagged) / lagged) } else { 0.0 };
    }
    for v in &mut out[period - 1..lb] {
        *v = f64::NAN;
    }
    out
}
