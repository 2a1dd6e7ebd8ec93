//! One-candle patterns, CDLBELTHOLD to CDLHIGHWAVE in TA-Lib's alphabetical list: belt
//! hold, closing marubozu, doji, dragonfly doji, gravestone doji, hammer, hanging man,
//! high wave.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `0`) and NaN
//! inside the lookback; the candle averages come from [`super::candle`]. (Hammer and
//! hanging man also look at the previous bar.)
//!
//! The tests of a pattern are combined with `&` and `|`, not `&&` and `||`: each is a
//! comparison of bars in range with no side effects, so evaluating them all gives
//! TA-Lib's answer without branches that random data would mispredict.

use super::candle::{
    max_avg_period, output, Candles, PeriodTotal, BODY_DOJI, BODY_LONG, BODY_SHORT, NEAR, SHADOW_LONG,
    SHADOW_VERY_LONG, SHADOW_VERY_SHORT,
};

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
        // The shadow on the body's opening side, chosen by a select (no branch).
        let opening_shadow = if c.white(i) { c.lower_shadow(i) } else { c.upper_shadow(i) };
        let hit = (c.real_body(i) > body_long.avg(&c, i)) & (opening_shadow < svs.avg(&c, i));
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
        // The shadow on the body's closing side, chosen by a select (no branch).
        let closing_shadow = if c.white(i) { c.upper_shadow(i) } else { c.lower_shadow(i) };
        let hit = (c.real_body(i) > body_long.avg(&c, i)) & (closing_shadow < svs.avg(&c, i));
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
        let hit = (c.real_body(i) <= body_doji.avg(&c, i))
            & (c.upper_shadow(i) < svs.avg(&c, i))
            & (c.lower_shadow(i) > svs.avg(&c, i));
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
        let hit = (c.real_body(i) <= body_doji.avg(&c, i))
            & (c.lower_shadow(i) < svs.avg(&c, i))
            & (c.upper_shadow(i) > svs.avg(&c, i));
        out[i] = if hit { 100.0 } else { 0.0 };
        body_doji.roll(&c, i);
        svs.roll(&c, i);
    }
    out
}

/// Bars before CDLHAMMER's first value.
pub fn cdlhammer_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, SHADOW_LONG, SHADOW_VERY_SHORT, NEAR]) + 1
}

/// The hammer / hanging man shape: a small body, a long lower shadow, a very short upper
/// shadow, and the body's low compared with the previous bar by `near_prior` (given the
/// body's low and the Near average of the previous bar). `100 * sign` when found.
#[inline(always)]
fn hammer_shape(
    open: &[f64],
    high: &[f64],
    low: &[f64],
    close: &[f64],
    sign: f64,
    near_prior: fn(&Candles, usize, f64, f64) -> bool,
) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlhammer_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body = PeriodTotal::new(&c, BODY_SHORT, lookback);
    let mut shadow_long = PeriodTotal::new(&c, SHADOW_LONG, lookback);
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    let mut near = PeriodTotal::new(&c, NEAR, lookback - 1);
    for i in lookback..c.len() {
        let hit = (c.real_body(i) < body.avg(&c, i))
            & (c.lower_shadow(i) > shadow_long.avg(&c, i))
            & (c.upper_shadow(i) < svs.avg(&c, i))
            & near_prior(&c, i, close[i].min(open[i]), near.avg(&c, i - 1));
        out[i] = if hit { sign * 100.0 } else { 0.0 };
        body.roll(&c, i);
        shadow_long.roll(&c, i);
        svs.roll(&c, i);
        near.roll(&c, i - 1);
    }
    out
}

/// Hammer (bullish): small body, long lower shadow, very short upper shadow, the body
/// at or near the previous bar's low.
pub fn cdlhammer(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    hammer_shape(open, high, low, close, 1.0, |c, i, body_low, near| body_low <= c.low[i - 1] + near)
}

/// Bars before CDLHANGINGMAN's first value.
pub fn cdlhangingman_lookback() -> usize {
    cdlhammer_lookback()
}

/// Hanging man (bearish): small body, long lower shadow, very short upper shadow, the
/// body at or near the previous bar's high.
pub fn cdlhangingman(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    hammer_shape(open, high, low, close, -1.0, |c, i, body_low, near| body_low >= c.high[i - 1] - near)
}

/// Bars before CDLHIGHWAVE's first value.
pub fn cdlhighwave_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, SHADOW_VERY_LONG])
}

/// High-wave candle: a short body with very long upper and lower shadows. Sign: the
/// candle's colour.
pub fn cdlhighwave(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlhighwave_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body = PeriodTotal::new(&c, BODY_SHORT, lookback);
    let mut shadow = PeriodTotal::new(&c, SHADOW_VERY_LONG, lookback);
    for i in lookback..c.len() {
        let hit = (c.real_body(i) < body.avg(&c, i))
            & (c.upper_shadow(i) > shadow.avg(&c, i))
            & (c.lower_shadow(i) > shadow.avg(&c, i));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        body.roll(&c, i);
        shadow.roll(&c, i);
    }
    out
}
