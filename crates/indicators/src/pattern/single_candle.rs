//! One-candle patterns, CDLBELTHOLD to CDLHIGHWAVE in TA-Lib's alphabetical list: belt
//! hold, closing marubozu, doji, dragonfly doji, gravestone doji, hammer, hanging man,
//! high wave.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `0`) and NaN
//! inside the lookback; the candle averages come from [`super::candle`]. (Hammer and
//! hanging man also look at the previous bar.)

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_LONG, SHADOW_VERY_SHORT};

/// Bars before CDLBELTHOLD's first value.
pub fn cdlbelthold_lookback() -> usize {
    max_avg_period(&[BODY_LONG, SHADOW_VERY_SHORT])
}

/// Belt hold: a long white (black) candle with a very short lower (upper) shadow.
pub fn cdlbelthold(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlbelthold_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback);
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    for i in lookback..c.len() {
        let hit = c.real_body(i) > body_long.avg(&c, i)
            && ((c.color(i) == 1 && c.lower_shadow(i) < svs.avg(&c, i))
                || (c.color(i) == -1 && c.upper_shadow(i) < svs.avg(&c, i)));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        body_long.roll(&c, i);
        svs.roll(&c, i);
    }
    out
}

/// Bars before CDLCLOSINGMARUBOZU's first value.
pub fn cdlclosingmarubozu_lookback() -> usize {
    max_avg_period(&[BODY_LONG, SHADOW_VERY_SHORT])
}

/// Closing marubozu: a long white (black) candle with a very short upper (lower)
/// shadow.
pub fn cdlclosingmarubozu(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlclosingmarubozu_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback);
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    for i in lookback..c.len() {
        let hit = c.real_body(i) > body_long.avg(&c, i)
            && ((c.color(i) == 1 && c.upper_shadow(i) < svs.avg(&c, i))
                || (c.color(i) == -1 && c.lower_shadow(i) < svs.avg(&c, i)));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        body_long.roll(&c, i);
        svs.roll(&c, i);
    }
    out
}
