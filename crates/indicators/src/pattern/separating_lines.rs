//! CDLSEPARATINGLINES: a candle, then an opposite-colored belt hold (long body, very
//! short shadow on the opening side) opening at the same price.
//!
//! The kernel returns, per bar, TA-Lib's integer as f64 (`100` when the belt hold is
//! white, `-100` when black, `0`) and NaN inside the lookback; the candle averages come
//! from [`super::candle`].

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_LONG, EQUAL, SHADOW_VERY_SHORT};

/// Bars before CDLSEPARATINGLINES's first value.
pub fn cdlseparatinglines_lookback() -> usize {
    max_avg_period(&[SHADOW_VERY_SHORT, BODY_LONG, EQUAL]) + 1
}

/// Separating lines.
pub fn cdlseparatinglines(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlseparatinglines_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback);
    let mut equal = PeriodTotal::new(&c, EQUAL, lookback - 1);
    for i in lookback..c.len() {
        // Branch-free, the shadow on the body's opening side chosen by a select: random
        // data would mispredict the short-circuits on colours.
        let opening_shadow = if c.white(i) { c.lower_shadow(i) } else { c.upper_shadow(i) };
        let hit = (c.white(i - 1) != c.white(i))
            & (open[i] <= open[i - 1] + equal.avg(&c, i - 1))
            & (open[i] >= open[i - 1] - equal.avg(&c, i - 1))
            & (c.real_body(i) > body_long.avg(&c, i))
            & (opening_shadow < svs.avg(&c, i));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        svs.roll(&c, i);
        body_long.roll(&c, i);
        equal.roll(&c, i - 1);
    }
    out
}
