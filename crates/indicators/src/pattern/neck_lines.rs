//! A long black candle, then a white one opening below its low and closing at a level
//! of it: CDLINNECK (at the black close), CDLONNECK (at the black low), CDLTHRUSTING
//! (into the body, under the midpoint) and CDLPIERCING (long white, above the midpoint).
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`-100` for the three bearish
//! continuation patterns, `100` for piercing, `0`) and NaN inside the lookback; the
//! candle averages come from [`super::candle`].

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_LONG, EQUAL};

/// Bars before CDLINNECK's (and CDLONNECK's, CDLTHRUSTING's) first value.
pub fn cdlinneck_lookback() -> usize {
    max_avg_period(&[EQUAL, BODY_LONG]) + 1
}

/// The shared frame of in-neck, on-neck and thrusting: a long black candle then a white
/// one opening below its low; `close_test(c, i, equal)` decides the second close, given
/// the "equal" average of the first candle.
fn neck_with(c: &Candles, close_test: impl Fn(&Candles, usize, f64) -> bool) -> Vec<f64> {
    let lookback = cdlinneck_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut equal = PeriodTotal::new(c, EQUAL, lookback - 1);
    let mut body_long = PeriodTotal::new(c, BODY_LONG, lookback - 1);
    for i in lookback..c.len() {
        // The cheap comparisons branch-free; the averages (divisions) only when they pass.
        let shape = c.black(i - 1) & c.white(i) & (c.open[i] < c.low[i - 1]);
        let hit = shape && (c.real_body(i - 1) > body_long.avg(c, i - 1)) && close_test(c, i, equal.avg(c, i - 1));
        out[i] = if hit { -100.0 } else { 0.0 };
        equal.roll(c, i - 1);
        body_long.roll(c, i - 1);
    }
    out
}

/// In-neck (bearish): the white candle closes at, or slightly into, the black close.
pub fn cdlinneck(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    neck_with(&Candles::new(open, high, low, close), |c, i, eq| {
        c.close[i] <= c.close[i - 1] + eq && c.close[i] >= c.close[i - 1]
    })
}

/// Bars before CDLONNECK's first value.
pub fn cdlonneck_lookback() -> usize {
    cdlinneck_lookback()
}

/// On-neck (bearish): the white candle closes at the black candle's low.
pub fn cdlonneck(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    neck_with(&Candles::new(open, high, low, close), |c, i, eq| {
        c.close[i] <= c.low[i - 1] + eq && c.close[i] >= c.low[i - 1] - eq
    })
}

/// Bars before CDLTHRUSTING's first value.
pub fn cdlthrusting_lookback() -> usize {
    cdlinneck_lookback()
}

/// Thrusting (bearish): the white candle closes into the black body (above "equal" to
/// its close) but not above its midpoint.
pub fn cdlthrusting(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    neck_with(&Candles::new(open, high, low, close), |c, i, eq| {
        c.close[i] > c.close[i - 1] + eq && c.close[i] <= c.close[i - 1] + c.real_body(i - 1) * 0.5
    })
}

/// Bars before CDLPIERCING's first value.
pub fn cdlpiercing_lookback() -> usize {
    BODY_LONG.avg_period + 1
}

/// Piercing (bullish): a long black candle, then a long white one opening below its low
/// and closing inside its body, above the midpoint.
pub fn cdlpiercing(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlpiercing_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body1 = PeriodTotal::new(&c, BODY_LONG, lookback - 1);
    let mut body0 = PeriodTotal::new(&c, BODY_LONG, lookback);
    for i in lookback..c.len() {
        let hit = c.color(i - 1) == -1
            && c.real_body(i - 1) > body1.avg(&c, i - 1)
            && c.color(i) == 1
            && c.real_body(i) > body0.avg(&c, i)
            && open[i] < low[i - 1]
            && close[i] < open[i - 1]
            && close[i] > close[i - 1] + c.real_body(i - 1) * 0.5;
        out[i] = if hit { 100.0 } else { 0.0 };
        body1.roll(&c, i - 1);
        body0.roll(&c, i);
    }
    out
}
