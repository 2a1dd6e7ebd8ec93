//! Equal closes of black candles: CDLMATCHINGLOW (two black candles closing at the same
//! level) and CDLSTICKSANDWICH (black, white trading above the first close, black
//! closing at the first close).
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100` or `0`) and NaN inside
//! the lookback; the "equal" average comes from [`super::candle`].

use super::candle::{output, Candles, PeriodTotal, EQUAL};

/// Bars before CDLMATCHINGLOW's first value.
pub fn cdlmatchinglow_lookback() -> usize {
    EQUAL.avg_period + 1
}

/// Matching low (bullish): two black candles, the second closing within "equal" of the
/// first close.
pub fn cdlmatchinglow(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlmatchinglow_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut equal = PeriodTotal::new(&c, EQUAL, lookback - 1);
    for i in lookback..c.len() {
        let hit = c.color(i - 1) == -1
            && c.color(i) == -1
            && close[i] <= close[i - 1] + equal.avg(&c, i - 1)
            && close[i] >= close[i - 1] - equal.avg(&c, i - 1);
        out[i] = if hit { 100.0 } else { 0.0 };
        equal.roll(&c, i - 1);
    }
    out
}

/// Bars before CDLSTICKSANDWICH's first value.
pub fn cdlsticksandwich_lookback() -> usize {
    EQUAL.avg_period + 2
}

/// Stick sandwich (bullish): a black candle, a white one whose low is above the first
/// close, then a black one closing within "equal" of the first close.
pub fn cdlsticksandwich(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlsticksandwich_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut equal = PeriodTotal::new(&c, EQUAL, lookback - 2);
    for i in lookback..c.len() {
        // Black, white, black, tested at once on the packed colours (one bar in eight on
        // random data) instead of one branch per colour.
        let colours = u8::from(c.white(i - 2)) | u8::from(c.white(i - 1)) << 1 | u8::from(c.white(i)) << 2;
        let hit = colours == 0b010
            && low[i - 1] > close[i - 2]
            && close[i] <= close[i - 2] + equal.avg(&c, i - 2)
            && close[i] >= close[i - 2] - equal.avg(&c, i - 2);
        out[i] = if hit { 100.0 } else { 0.0 };
        equal.roll(&c, i - 2);
    }
    out
}
