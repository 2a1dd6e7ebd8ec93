//! CDLSTALLEDPATTERN: three rising white candles, the first two long (the second with a
//! very short upper shadow, opening within or near the first body), the third small and
//! riding on the shoulder of the second.
//!
//! The kernel returns, per bar, TA-Lib's integer as f64 (`-100` or `0`) and NaN inside
//! the lookback; the candle averages come from [`super::candle`].

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_LONG, BODY_SHORT, NEAR, SHADOW_VERY_SHORT};

/// Bars before CDLSTALLEDPATTERN's first value.
pub fn cdlstalledpattern_lookback() -> usize {
    max_avg_period(&[BODY_LONG, BODY_SHORT, SHADOW_VERY_SHORT, NEAR]) + 2
}

/// Stalled pattern (bearish).
pub fn cdlstalledpattern(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlstalledpattern_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long2 = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    let mut body_long1 = PeriodTotal::new(&c, BODY_LONG, lookback - 1);
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback);
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 1);
    let mut near2 = PeriodTotal::new(&c, NEAR, lookback - 2);
    let mut near1 = PeriodTotal::new(&c, NEAR, lookback - 1);
    for i in lookback..c.len() {
        let hit = c.color(i - 2) == 1
            && c.color(i - 1) == 1
            && c.color(i) == 1
            && close[i] > close[i - 1]
            && close[i - 1] > close[i - 2]
            && c.real_body(i - 2) > body_long2.avg(&c, i - 2)
            && c.real_body(i - 1) > body_long1.avg(&c, i - 1)
            && c.upper_shadow(i - 1) < svs.avg(&c, i - 1)
            && open[i - 1] > open[i - 2]
            && open[i - 1] <= close[i - 2] + near2.avg(&c, i - 2)
            && c.real_body(i) < body_short.avg(&c, i)
            && open[i] >= close[i - 1] - c.real_body(i) - near1.avg(&c, i - 1);
        out[i] = if hit { -100.0 } else { 0.0 };
        body_long2.roll(&c, i - 2);
        near2.roll(&c, i - 2);
        body_long1.roll(&c, i - 1);
        near1.roll(&c, i - 1);
        body_short.roll(&c, i);
        svs.roll(&c, i - 1);
    }
    out
}
