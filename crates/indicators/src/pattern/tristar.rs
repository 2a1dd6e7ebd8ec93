//! CDLTRISTAR: three doji, the middle one a star (its body gapping away from the first).
//!
//! The kernel returns, per bar, TA-Lib's integer as f64 (`-100` when the star gaps up
//! and the third doji is not higher, `100` when it gaps down and the third is not lower,
//! `0`) and NaN inside the lookback; the doji average (of the first candle, used for all
//! three) comes from [`super::candle`].

use super::candle::{output, Candles, PeriodTotal, BODY_DOJI};

/// Bars before CDLTRISTAR's first value.
pub fn cdltristar_lookback() -> usize {
    BODY_DOJI.avg_period + 2
}

/// Tristar.
pub fn cdltristar(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdltristar_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut doji = PeriodTotal::new(&c, BODY_DOJI, lookback - 2);
    for i in lookback..c.len() {
        let avg = doji.avg(&c, i - 2);
        let mut value = 0.0;
        if c.real_body(i - 2) <= avg && c.real_body(i - 1) <= avg && c.real_body(i) <= avg {
            if c.real_body_gap_up(i - 1, i - 2) && open[i].max(close[i]) < open[i - 1].max(close[i - 1]) {
                value = -100.0;
            }
            if c.real_body_gap_down(i - 1, i - 2) && open[i].min(close[i]) > open[i - 1].min(close[i - 1]) {
                value = 100.0;
            }
        }
        out[i] = value;
        doji.roll(&c, i - 2);
    }
    out
}
