//! Continuation patterns built around a gap or a group of small candles: CDLMATHOLD,
//! CDLRISEFALL3METHODS and CDLXSIDEGAP3METHODS.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `0`) and NaN
//! inside the lookback; the candle averages come from [`super::candle`].

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_LONG, BODY_SHORT};

/// Bars before CDLMATHOLD's first value (`penetration` does not change it).
pub fn cdlmathold_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, BODY_LONG]) + 4
}

/// Mat hold (bullish): a long white candle, a small black one gapping up, two more small
/// candles falling but holding within the first body (penetrating it by less than
/// `penetration` of it), then a white candle opening above the previous close and
/// closing above the highest high of the three small ones.
pub fn cdlmathold(open: &[f64], high: &[f64], low: &[f64], close: &[f64], penetration: f64) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlmathold_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body4 = PeriodTotal::new(&c, BODY_LONG, lookback - 4);
    let mut body3 = PeriodTotal::new(&c, BODY_SHORT, lookback - 3);
    let mut body2 = PeriodTotal::new(&c, BODY_SHORT, lookback - 2);
    let mut body1 = PeriodTotal::new(&c, BODY_SHORT, lookback - 1);
    for i in lookback..c.len() {
        let bottom2 = open[i - 2].min(close[i - 2]);
        let bottom1 = open[i - 1].min(close[i - 1]);
        let top2 = close[i - 2].max(open[i - 2]);
        let top1 = close[i - 1].max(open[i - 1]);
        // White, black, white (first, second, last), tested at once on the packed
        // colours (one bar in eight on random data) instead of one branch per colour.
        let colours = u8::from(c.white(i - 4)) | u8::from(c.white(i - 3)) << 1 | u8::from(c.white(i)) << 2;
        let hit = colours == 0b101
            && c.real_body_gap_up(i - 3, i - 4)
            && bottom2 < close[i - 4]
            && bottom1 < close[i - 4]
            && bottom2 > close[i - 4] - c.real_body(i - 4) * penetration
            && bottom1 > close[i - 4] - c.real_body(i - 4) * penetration
            && top2 < open[i - 3]
            && top1 < top2
            && open[i] > close[i - 1]
            && close[i] > high[i - 3].max(high[i - 2]).max(high[i - 1])
            && c.real_body(i - 4) > body4.avg(&c, i - 4)
            && c.real_body(i - 3) < body3.avg(&c, i - 3)
            && c.real_body(i - 2) < body2.avg(&c, i - 2)
            && c.real_body(i - 1) < body1.avg(&c, i - 1);
        out[i] = if hit { 100.0 } else { 0.0 };
        body4.roll(&c, i - 4);
        body3.roll(&c, i - 3);
        body2.roll(&c, i - 2);
        body1.roll(&c, i - 1);
    }
    out
}

/// Bars before CDLRISEFALL3METHODS's first value.
pub fn cdlrisefall3methods_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, BODY_LONG]) + 4
}

/// Rising (falling) three methods: a long white (black) candle, three small candles of
/// the other color moving against it within its range, then a long candle of the first
/// color opening beyond the last small close and closing beyond the first close; the
/// sign is the first candle's color.
pub fn cdlrisefall3methods(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlrisefall3methods_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body4 = PeriodTotal::new(&c, BODY_LONG, lookback - 4);
    let mut body3 = PeriodTotal::new(&c, BODY_SHORT, lookback - 3);
    let mut body2 = PeriodTotal::new(&c, BODY_SHORT, lookback - 2);
    let mut body1 = PeriodTotal::new(&c, BODY_SHORT, lookback - 1);
    let mut body0 = PeriodTotal::new(&c, BODY_LONG, lookback);
    for i in lookback..c.len() {
        // The first candle's color, as the factor TA-Lib multiplies the prices by.
        let dir = f64::from(c.color(i - 4));
        let within = |k: usize| open[k].min(close[k]) < high[i - 4] && open[k].max(close[k]) > low[i - 4];
        // The five colours packed in an integer: one branch, taken one bar in sixteen on
        // random data, instead of branches on single colours that it would mispredict.
        let colours = u8::from(c.white(i - 4))
            | u8::from(c.white(i - 3)) << 1
            | u8::from(c.white(i - 2)) << 2
            | u8::from(c.white(i - 1)) << 3
            | u8::from(c.white(i)) << 4;
        let hit = (colours == 0b10001 || colours == 0b01110)
            && within(i - 3)
            && within(i - 2)
            && within(i - 1)
            && close[i - 2] * dir < close[i - 3] * dir
            && close[i - 1] * dir < close[i - 2] * dir
            && open[i] * dir > close[i - 1] * dir
            && close[i] * dir > close[i - 4] * dir
            && c.real_body(i - 4) > body4.avg(&c, i - 4)
            && c.real_body(i - 3) < body3.avg(&c, i - 3)
            && c.real_body(i - 2) < body2.avg(&c, i - 2)
            && c.real_body(i - 1) < body1.avg(&c, i - 1)
            && c.real_body(i) > body0.avg(&c, i);
        out[i] = if hit { 100.0 * dir } else { 0.0 };
        body4.roll(&c, i - 4);
        body3.roll(&c, i - 3);
        body2.roll(&c, i - 2);
        body1.roll(&c, i - 1);
        body0.roll(&c, i);
    }
    out
}

/// Bars before CDLXSIDEGAP3METHODS's first value.
pub fn cdlxsidegap3methods_lookback() -> usize {
    2
}

/// Upside (downside) gap three methods: two white (black) candles with a body gap up
/// (down) between them, then an opposite candle opening inside the second body and
/// closing inside the first; the sign is the first candle's color.
pub fn cdlxsidegap3methods(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlxsidegap3methods_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    for i in lookback..c.len() {
        let hit = (c.color(i - 2) == c.color(i - 1))
            & (c.color(i - 1) == -c.color(i))
            & (open[i] < close[i - 1].max(open[i - 1]))
            & (open[i] > close[i - 1].min(open[i - 1]))
            & (close[i] < close[i - 2].max(open[i - 2]))
            & (close[i] > close[i - 2].min(open[i - 2]))
            & ((c.white(i - 2) & c.real_body_gap_up(i - 1, i - 2))
                | (c.black(i - 2) & c.real_body_gap_down(i - 1, i - 2)));
        out[i] = if hit { f64::from(c.color(i - 2)) * 100.0 } else { 0.0 };
    }
    out
}
