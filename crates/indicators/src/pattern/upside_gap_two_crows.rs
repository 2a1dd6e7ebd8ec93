//! CDLUPSIDEGAP2CROWS: a long white candle, a small black one gapping up, then a black
//! candle engulfing the small one and closing above the white close.
//!
//! The kernel returns, per bar, TA-Lib's integer as f64 (`-100` or `0`) and NaN inside
//! the lookback; the candle averages come from [`super::candle`].

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_LONG, BODY_SHORT};

/// Bars before CDLUPSIDEGAP2CROWS's first value.
pub fn cdlupsidegap2crows_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, BODY_LONG]) + 2
}

/// Upside gap two crows (bearish).
pub fn cdlupsidegap2crows(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlupsidegap2crows_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback - 1);
    for i in lookback..c.len() {
        let hit = c.color(i - 2) == 1
            && c.real_body(i - 2) > body_long.avg(&c, i - 2)
            && c.color(i - 1) == -1
            && c.real_body(i - 1) <= body_short.avg(&c, i - 1)
            && c.real_body_gap_up(i - 1, i - 2)
            && c.color(i) == -1
            && open[i] > open[i - 1]
            && close[i] < close[i - 1]
            && close[i] > close[i - 2];
        out[i] = if hit { -100.0 } else { 0.0 };
        body_long.roll(&c, i - 2);
        body_short.roll(&c, i - 1);
    }
    out
}
