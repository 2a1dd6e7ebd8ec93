//! SUPERTREND — TA-Lib-exact (TA-Lib 0.8.1).
//!
//! ATR(period) as TA_ATR computes it; each bar the basic bands are median ± multiplier·ATR
//! (median = (high + low)/2). The final upper band takes the basic one when that is
//! lower or the previous close was above the final upper band; the final lower band
//! likewise the other way. The trend starts up on the first bar; it turns down on a close
//! below the final lower band and up on a close above the final upper band. Outputs: the
//! band on the trend's side (lower in an uptrend) and the trend (1 or −1).

use crate::volatility::atr::{atr, atr_lookback};

/// Bars before the first value.
pub fn supertrend_lookback(period: usize) -> usize {
    atr_lookback(period)
}

/// SUPERTREND: [supertrend, trend].
pub fn supertrend(high: &[f64], low: &[f64], close: &[f64], period: usize, multiplier: f64) -> [Vec<f64>; 2] {
    let n = high.len().min(low.len()).min(close.len());
    let start = supertrend_lookback(period);
    if period == 0 || n <= start {
        return std::array::from_fn(|_| vec![f64::NAN; n]);
    }
    let range = atr(&high[..n], &low[..n], &close[..n], period);
    let mut line = Vec::with_capacity(n);
    let mut trend = Vec::with_capacity(n);
    line.resize(start, f64::NAN);
    trend.resize(start, f64::NAN);
    let median = (high[start] + low[start]) * 0.5;
    let band = multiplier * range[start];
    let mut final_upper = median + band;
    let mut final_lower = median - band;
    let mut up = true;
    let mut prev_close = close[start];
    line.push(final_lower);
    trend.push(1.0);
    for today in start + 1..n {
        let median = (high[today] + low[today]) * 0.5;
        let band = multiplier * range[today];
        let basic_upper = median + band;
        let basic_lower = median - band;
        if basic_upper < final_upper || prev_close > final_upper {
            final_upper = basic_upper;
        }
        if basic_lower > final_lower || prev_close < final_lower {
            final_lower = basic_lower;
        }
        let c = close[today];
        if up {
            if c < final_lower {
                up = false;
            }
        } else if c > final_upper {
            up = true;
        }
        if up {
            line.push(final_lower);
            trend.push(1.0);
        } else {
            line.push(final_upper);
            trend.push(-1.0);
        }
        prev_close = c;
    }
    [line, trend]
}
