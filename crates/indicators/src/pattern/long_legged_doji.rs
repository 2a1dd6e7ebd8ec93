//! Doji shapes with long shadows: CDLLONGLEGGEDDOJI, CDLRICKSHAWMAN and CDLTAKURI.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100` or `0`; always
//! positive, which is not a bullish call) and NaN inside the lookback; the candle
//! averages come from [`super::candle`].

use super::candle::{
    max_avg_period, output, Candles, PeriodTotal, BODY_DOJI, NEAR, SHADOW_LONG, SHADOW_VERY_LONG, SHADOW_VERY_SHORT,
};

/// Bars before CDLLONGLEGGEDDOJI's first value.
pub fn cdllongleggeddoji_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, SHADOW_LONG])
}

/// Long legged doji: a doji body with at least one long shadow.
pub fn cdllongleggeddoji(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdllongleggeddoji_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut doji = PeriodTotal::new(&c, BODY_DOJI, lookback);
    let mut shadow_long = PeriodTotal::new(&c, SHADOW_LONG, lookback);
    for i in lookback..c.len() {
        let hit = c.real_body(i) <= doji.avg(&c, i)
            && (c.lower_shadow(i) > shadow_long.avg(&c, i) || c.upper_shadow(i) > shadow_long.avg(&c, i));
        out[i] = if hit { 100.0 } else { 0.0 };
        doji.roll(&c, i);
        shadow_long.roll(&c, i);
    }
    out
}

/// Bars before CDLRICKSHAWMAN's first value.
pub fn cdlrickshawman_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, SHADOW_LONG, NEAR])
}

/// Rickshaw man: a doji body with two long shadows, the body near the middle of the
/// high-low range.
pub fn cdlrickshawman(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlrickshawman_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut doji = PeriodTotal::new(&c, BODY_DOJI, lookback);
    let mut shadow_long = PeriodTotal::new(&c, SHADOW_LONG, lookback);
    let mut near = PeriodTotal::new(&c, NEAR, lookback);
    for i in lookback..c.len() {
        let hit = c.real_body(i) <= doji.avg(&c, i)
            && c.lower_shadow(i) > shadow_long.avg(&c, i)
            && c.upper_shadow(i) > shadow_long.avg(&c, i)
            && open[i].min(close[i]) <= low[i] + (high[i] - low[i]) / 2.0 + near.avg(&c, i)
            && open[i].max(close[i]) >= low[i] + (high[i] - low[i]) / 2.0 - near.avg(&c, i);
        out[i] = if hit { 100.0 } else { 0.0 };
        doji.roll(&c, i);
        shadow_long.roll(&c, i);
        near.roll(&c, i);
    }
    out
}

/// Bars before CDLTAKURI's first value.
pub fn cdltakuri_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, SHADOW_VERY_SHORT, SHADOW_VERY_LONG])
}

/// Takuri: a doji body with a very short upper shadow and a very long lower shadow (a
/// dragonfly doji with a very long lower shadow).
pub fn cdltakuri(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdltakuri_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut doji = PeriodTotal::new(&c, BODY_DOJI, lookback);
    let mut svs = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    let mut svl = PeriodTotal::new(&c, SHADOW_VERY_LONG, lookback);
    for i in lookback..c.len() {
        let hit = c.real_body(i) <= doji.avg(&c, i)
            && c.upper_shadow(i) < svs.avg(&c, i)
            && c.lower_shadow(i) > svl.avg(&c, i);
        out[i] = if hit { 100.0 } else { 0.0 };
        doji.roll(&c, i);
        svs.roll(&c, i);
        svl.roll(&c, i);
    }
    out
}
