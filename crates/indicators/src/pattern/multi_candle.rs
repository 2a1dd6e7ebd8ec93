//! Patterns of four or more candles (and the open-ended hikkakes), CDL3LINESTRIKE to
//! CDLHIKKAKEMOD in TA-Lib's alphabetical list: three-line strike, breakaway, concealing
//! baby swallow, hikkake, modified hikkake.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `200`, `0`, ...)
//! and NaN inside the lookback; the candle averages come from [`super::candle`].

use super::candle::{output, Candles, PeriodTotal, NEAR};

/// Bars before CDL3LINESTRIKE's first value.
pub fn cdl3linestrike_lookback() -> usize {
    NEAR.avg_period + 3
}

/// Three-line strike: three candles of one colour with rising (falling) closes, each
/// opening within or near the previous body, then an opposite candle opening beyond the
/// third close and closing beyond the first open. Sign: the first three's colour.
pub fn cdl3linestrike(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdl3linestrike_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut near3 = PeriodTotal::new(&c, NEAR, lookback - 3);
    let mut near2 = PeriodTotal::new(&c, NEAR, lookback - 2);
    for i in lookback..c.len() {
        let hit = c.color(i - 3) == c.color(i - 2)
            && c.color(i - 2) == c.color(i - 1)
            && c.color(i) == -c.color(i - 1)
            && open[i - 2] >= open[i - 3].min(close[i - 3]) - near3.avg(&c, i - 3)
            && open[i - 2] <= open[i - 3].max(close[i - 3]) + near3.avg(&c, i - 3)
            && open[i - 1] >= open[i - 2].min(close[i - 2]) - near2.avg(&c, i - 2)
            && open[i - 1] <= open[i - 2].max(close[i - 2]) + near2.avg(&c, i - 2)
            && ((c.color(i - 1) == 1
                && close[i - 1] > close[i - 2]
                && close[i - 2] > close[i - 3]
                && open[i] > close[i - 1]
                && close[i] < open[i - 3])
                || (c.color(i - 1) == -1
                    && close[i - 1] < close[i - 2]
                    && close[i - 2] < close[i - 3]
                    && open[i] < close[i - 1]
                    && close[i] > open[i - 3]));
        out[i] = if hit { f64::from(c.color(i - 1)) * 100.0 } else { 0.0 };
        near3.roll(&c, i - 3);
        near2.roll(&c, i - 2);
    }
    out
}
