//! CDLLADDERBOTTOM: three black candles with lower opens and closes, a fourth black one
//! with an upper shadow, then a white candle opening above the fourth body and closing
//! above its high.
//!
//! The kernel returns, per bar, TA-Lib's integer as f64 (`100` or `0`) and NaN inside
//! the lookback; the candle average comes from [`super::candle`].

use super::candle::{output, Candles, PeriodTotal, SHADOW_VERY_SHORT};

/// Bars before CDLLADDERBOTTOM's first value.
pub fn cdlladderbottom_lookback() -> usize {
    SHADOW_VERY_SHORT.avg_period + 4
}

/// Ladder bottom (bullish).
pub fn cdlladderbottom(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlladderbottom_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 1);
    for i in lookback..c.len() {
        let hit = c.color(i - 4) == -1
            && c.color(i - 3) == -1
            && c.color(i - 2) == -1
            && open[i - 4] > open[i - 3]
            && open[i - 3] > open[i - 2]
            && close[i - 4] > close[i - 3]
            && close[i - 3] > close[i - 2]
            && c.color(i - 1) == -1
            && c.upper_shadow(i - 1) > svs.avg(&c, i - 1)
            && c.color(i) == 1
            && open[i] > open[i - 1]
            && close[i] > high[i - 1];
        out[i] = if hit { 100.0 } else { 0.0 };
        svs.roll(&c, i - 1);
    }
    out
}
