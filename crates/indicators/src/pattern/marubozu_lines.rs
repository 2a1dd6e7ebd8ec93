//! One-candle body/shadow shapes: CDLMARUBOZU, CDLLONGLINE, CDLSHORTLINE and
//! CDLSPINNINGTOP (long or short real body, short or very short shadows, or shadows
//! longer than the body).
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100` for a white candle,
//! `-100` for a black one, `0`) and NaN inside the lookback; the candle averages come
//! from [`super::candle`].

use super::candle::{
    max_avg_period, output, Candles, PeriodTotal, BODY_LONG, BODY_SHORT, SHADOW_SHORT, SHADOW_VERY_SHORT,
};

/// Bars before CDLMARUBOZU's first value.
pub fn cdlmarubozu_lookback() -> usize {
    max_avg_period(&[BODY_LONG, SHADOW_VERY_SHORT])
}

/// Marubozu: a long real body with very short (or no) upper and lower shadows; the sign
/// is the candle's color.
pub fn cdlmarubozu(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlmarubozu_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback);
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    for i in lookback..c.len() {
        // Branch-free: random data would mispredict the short-circuit.
        let hit = (c.real_body(i) > body_long.avg(&c, i))
            & (c.upper_shadow(i) < svs.avg(&c, i))
            & (c.lower_shadow(i) < svs.avg(&c, i));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        body_long.roll(&c, i);
        svs.roll(&c, i);
    }
    out
}

/// Bars before CDLLONGLINE's first value.
pub fn cdllongline_lookback() -> usize {
    max_avg_period(&[BODY_LONG, SHADOW_SHORT])
}

/// Long line: a long real body with short upper and lower shadows; the sign is the
/// candle's color.
pub fn cdllongline(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdllongline_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback);
    let mut shadow_short = PeriodTotal::new(&c, SHADOW_SHORT, lookback);
    for i in lookback..c.len() {
        // Branch-free: random data would mispredict the short-circuit.
        let hit = (c.real_body(i) > body_long.avg(&c, i))
            & (c.upper_shadow(i) < shadow_short.avg(&c, i))
            & (c.lower_shadow(i) < shadow_short.avg(&c, i));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        body_long.roll(&c, i);
        shadow_short.roll(&c, i);
    }
    out
}

/// Bars before CDLSHORTLINE's first value.
pub fn cdlshortline_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, SHADOW_SHORT])
}

/// Short line: a short real body with short upper and lower shadows; the sign is the
/// candle's color (not a bullish or bearish call).
pub fn cdlshortline(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlshortline_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback);
    let mut shadow_short = PeriodTotal::new(&c, SHADOW_SHORT, lookback);
    for i in lookback..c.len() {
        // Branch-free: random data would mispredict the short-circuit.
        let hit = (c.real_body(i) < body_short.avg(&c, i))
            & (c.upper_shadow(i) < shadow_short.avg(&c, i))
            & (c.lower_shadow(i) < shadow_short.avg(&c, i));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        body_short.roll(&c, i);
        shadow_short.roll(&c, i);
    }
    out
}

/// Bars before CDLSPINNINGTOP's first value.
pub fn cdlspinningtop_lookback() -> usize {
    BODY_SHORT.avg_period
}

/// Spinning top: a short real body with both shadows longer than the body; the sign is
/// the candle's color.
pub fn cdlspinningtop(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlspinningtop_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback);
    for i in lookback..c.len() {
        let body = c.real_body(i);
        // Branch-free: random data would mispredict the short-circuit.
        let hit = (c.upper_shadow(i) > body) & (c.lower_shadow(i) > body) & (body < body_short.avg(&c, i));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        body_short.roll(&c, i);
    }
    out
}
