//! Three-candle patterns, CDL2CROWS to CDLEVENINGSTAR in TA-Lib's alphabetical list:
//! two crows, three black crows, three inside, three outside, three stars in the south,
//! three white soldiers, abandoned baby, advance block, evening (doji) star.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `0`) and NaN
//! inside the lookback; the candle averages come from [`super::candle`].

use super::candle::{output, Candles, PeriodTotal, BODY_LONG, BODY_SHORT, SHADOW_VERY_SHORT};

/// Bars before CDL2CROWS's first value.
pub fn cdl2crows_lookback() -> usize {
    BODY_LONG.avg_period + 2
}

/// Two crows (bearish): a long white candle, a black candle gapping up above its body,
/// then a black candle opening inside the second body and closing inside the first.
pub fn cdl2crows(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdl2crows_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    for i in lookback..c.len() {
        let hit = c.color(i - 2) == 1
            && c.real_body(i - 2) > body_long.avg(&c, i - 2)
            && c.color(i - 1) == -1
            && c.real_body_gap_up(i - 1, i - 2)
            && c.color(i) == -1
            && open[i] < open[i - 1]
            && open[i] > close[i - 1]
            && close[i] > open[i - 2]
            && close[i] < close[i - 2];
        out[i] = if hit { -100.0 } else { 0.0 };
        body_long.roll(&c, i - 2);
    }
    out
}

/// Bars before CDL3BLACKCROWS's first value.
pub fn cdl3blackcrows_lookback() -> usize {
    SHADOW_VERY_SHORT.avg_period + 3
}

/// Three black crows (bearish): after a white candle, three declining black candles,
/// each opening inside the previous body, with very short lower shadows.
pub fn cdl3blackcrows(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdl3blackcrows_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut svs2 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 2);
    let mut svs1 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 1);
    let mut svs0 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    for i in lookback..c.len() {
        let hit = c.color(i - 3) == 1
            && c.color(i - 2) == -1
            && c.color(i - 1) == -1
            && c.color(i) == -1
            && open[i - 1] < open[i - 2]
            && open[i - 1] > close[i - 2]
            && open[i] < open[i - 1]
            && open[i] > close[i - 1]
            && high[i - 3] > close[i - 2]
            && close[i - 2] > close[i - 1]
            && close[i - 1] > close[i]
            && c.lower_shadow(i - 2) < svs2.avg(&c, i - 2)
            && c.lower_shadow(i - 1) < svs1.avg(&c, i - 1)
            && c.lower_shadow(i) < svs0.avg(&c, i);
        out[i] = if hit { -100.0 } else { 0.0 };
        svs2.roll(&c, i - 2);
        svs1.roll(&c, i - 1);
        svs0.roll(&c, i);
    }
    out
}

/// Bars before CDL3INSIDE's first value.
pub fn cdl3inside_lookback() -> usize {
    BODY_SHORT.avg_period.max(BODY_LONG.avg_period) + 2
}

/// Three inside up/down: a long candle, a short body inside it (a harami), then a
/// candle of the opposite colour to the first closing beyond the first's open.
pub fn cdl3inside(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdl3inside_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback - 1);
    for i in lookback..c.len() {
        let hit = close[i - 1].max(open[i - 1]) < close[i - 2].max(open[i - 2])
            && close[i - 1].min(open[i - 1]) > close[i - 2].min(open[i - 2])
            && ((c.color(i - 2) == 1 && c.color(i) == -1 && close[i] < open[i - 2])
                || (c.color(i - 2) == -1 && c.color(i) == 1 && close[i] > open[i - 2]))
            && c.real_body(i - 2) > body_long.avg(&c, i - 2)
            && c.real_body(i - 1) <= body_short.avg(&c, i - 1);
        out[i] = if hit { -f64::from(c.color(i - 2)) * 100.0 } else { 0.0 };
        body_long.roll(&c, i - 2);
        body_short.roll(&c, i - 1);
    }
    out
}
