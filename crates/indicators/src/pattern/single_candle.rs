//! One-candle patterns, CDLBELTHOLD to CDLHIGHWAVE in TA-Lib's alphabetical list: belt
//! hold, closing marubozu, doji, dragonfly doji, gravestone doji, hammer, hanging man,
//! high wave.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `0`) and NaN
//! inside the lookback; the candle averages come from [`super::candle`]. (Hammer and
//! hanging man also look at the previous bar.)

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_DOJI, BODY_LONG, SHADOW_VERY_SHORT};

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

/// Bars before CDLDOJI's first value.
pub fn cdldoji_lookback() -> usize {
    BODY_DOJI.avg_period
}

/// Doji: open and close (nearly) equal. Always `100` when found.
pub fn cdldoji(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdldoji_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_doji = PeriodTotal::new(&c, BODY_DOJI, lookback);
    for i in lookback..c.len() {
        out[i] = if c.real_body(i) <= body_doji.avg(&c, i) { 100.0 } else { 0.0 };
        body_doji.roll(&c, i);
    }
    out
}

/// Bars before CDLDRAGONFLYDOJI's first value.
pub fn cdldragonflydoji_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, SHADOW_VERY_SHORT])
}

/// Dragonfly doji: a doji with a very short upper shadow and a lower shadow that is not
/// very short. Always `100` when found.
pub fn cdldragonflydoji(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdldragonflydoji_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_doji = PeriodTotal::new(&c, BODY_DOJI, lookback);
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    for i in lookback..c.len() {
        let hit = c.real_body(i) <= body_doji.avg(&c, i)
            && c.upper_shadow(i) < svs.avg(&c, i)
            && c.lower_shadow(i) > svs.avg(&c, i);
        out[i] = if hit { 100.0 } else { 0.0 };
        body_doji.roll(&c, i);
        svs.roll(&c, i);
    }
    out
}

/// Bars before CDLGRAVESTONEDOJI's first value.
pub fn cdlgravestonedoji_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, SHADOW_VERY_SHORT])
}

/// Gravestone doji: a doji with a very short lower shadow and an upper shadow that is
/// not very short. Always `100` when found.
pub fn cdlgravestonedoji(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlgravestonedoji_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_doji = PeriodTotal::new(&c, BODY_DOJI, lookback);
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    for i in lookback..c.len() {
        let hit = c.real_body(i) <= body_doji.avg(&c, i)
            && c.lower_shadow(i) < svs.avg(&c, i)
            && c.upper_shadow(i) > svs.avg(&c, i);
        out[i] = if hit { 100.0 } else { 0.0 };
        body_doji.roll(&c, i);
        svs.roll(&c, i);
    }
    out
}
