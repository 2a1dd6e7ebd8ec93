//! Two-candle patterns, CDLCOUNTERATTACK to CDLHOMINGPIGEON in TA-Lib's alphabetical
//! list: counterattack, dark cloud cover, doji star, engulfing, harami, harami cross,
//! homing pigeon.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `80`, `0`,
//! ...) and NaN inside the lookback; the candle averages come from [`super::candle`].
//!
//! The tests of a pattern are combined with `&` and `|`, not `&&` and `||`: each is a
//! comparison of bars in range with no side effects, so evaluating them all gives
//! TA-Lib's answer without branches that random data would mispredict.

use super::candle::{
    max_avg_period, output, CandleSetting, Candles, PeriodTotal, BODY_DOJI, BODY_LONG, BODY_SHORT, EQUAL,
};

/// Bars before CDLCOUNTERATTACK's first value.
pub fn cdlcounterattack_lookback() -> usize {
    max_avg_period(&[EQUAL, BODY_LONG]) + 1
}

/// Counterattack: two long candles of opposite colours with (nearly) equal closes.
/// Sign: the second candle's colour.
pub fn cdlcounterattack(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlcounterattack_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut equal = PeriodTotal::new(&c, EQUAL, lookback - 1);
    let mut body_long1 = PeriodTotal::new(&c, BODY_LONG, lookback - 1);
    let mut body_long0 = PeriodTotal::new(&c, BODY_LONG, lookback);
    for i in lookback..c.len() {
        let hit = (c.white(i - 1) != c.white(i))
            & (c.real_body(i - 1) > body_long1.avg(&c, i - 1))
            & (c.real_body(i) > body_long0.avg(&c, i))
            & (close[i] <= close[i - 1] + equal.avg(&c, i - 1))
            & (close[i] >= close[i - 1] - equal.avg(&c, i - 1));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        equal.roll(&c, i - 1);
        body_long1.roll(&c, i - 1);
        body_long0.roll(&c, i);
    }
    out
}

/// Bars before CDLDARKCLOUDCOVER's first value.
pub fn cdldarkcloudcover_lookback() -> usize {
    BODY_LONG.avg_period + 1
}

/// Dark cloud cover (bearish): a long white candle, then a black candle opening above
/// its high and closing inside its body, more than `penetration` of it down.
pub fn cdldarkcloudcover(open: &[f64], high: &[f64], low: &[f64], close: &[f64], penetration: f64) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdldarkcloudcover_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 1);
    for i in lookback..c.len() {
        let hit = c.white(i - 1)
            & (c.real_body(i - 1) > body_long.avg(&c, i - 1))
            & c.black(i)
            & (open[i] > high[i - 1])
            & (close[i] > open[i - 1])
            & (close[i] < close[i - 1] - c.real_body(i - 1) * penetration);
        out[i] = if hit { -100.0 } else { 0.0 };
        body_long.roll(&c, i - 1);
    }
    out
}

/// Bars before CDLDOJISTAR's first value.
pub fn cdldojistar_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, BODY_LONG]) + 1
}

/// Doji star: a long candle, then a doji whose body gaps away from it (up after a white
/// candle, down after a black one). Sign: opposite to the first candle's colour.
pub fn cdldojistar(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdldojistar_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 1);
    let mut body_doji = PeriodTotal::new(&c, BODY_DOJI, lookback);
    for i in lookback..c.len() {
        let hit = (c.real_body(i - 1) > body_long.avg(&c, i - 1))
            & (c.real_body(i) <= body_doji.avg(&c, i))
            & ((c.white(i - 1) & c.real_body_gap_up(i, i - 1)) | (c.black(i - 1) & c.real_body_gap_down(i, i - 1)));
        out[i] = if hit { -f64::from(c.color(i - 1)) * 100.0 } else { 0.0 };
        body_long.roll(&c, i - 1);
        body_doji.roll(&c, i);
    }
    out
}

/// Bars before CDLENGULFING's first value.
pub fn cdlengulfing_lookback() -> usize {
    2
}

/// Engulfing: the second body, of the opposite colour, engulfs the first; `100` when it
/// extends past both ends, `80` when it matches the first at one end. Sign: the second
/// candle's colour.
pub fn cdlengulfing(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlengulfing_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    // Every test is a plain comparison of bars in range, so they are all evaluated
    // (`&`, `|`: no branches to mispredict); the result is TA-Lib's short-circuit one.
    for i in lookback..c.len() {
        let (o0, c0, o1, c1) = (open[i], close[i], open[i - 1], close[i - 1]);
        let white = c0 >= o0;
        let white1 = c1 >= o1;
        let hit = (white & !white1 & ((c0 >= o1) & (o0 < c1) | (c0 > o1) & (o0 <= c1)))
            | (!white & white1 & ((o0 >= c1) & (c0 < o1) | (o0 > c1) & (c0 <= o1)));
        let size = if (o0 != c1) & (c0 != o1) { 100.0 } else { 80.0 };
        let sign = if white { 1.0 } else { -1.0 };
        out[i] = if hit { sign * size } else { 0.0 };
    }
    out
}

/// A harami with the second body measured against `second` (BodyShort for the harami,
/// BodyDoji for the harami cross): a long candle, then a small body inside it; `100`
/// strictly inside, `80` touching one end. Sign: opposite to the first candle's colour.
#[inline(always)]
fn harami_like(open: &[f64], high: &[f64], low: &[f64], close: &[f64], second: CandleSetting) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = max_avg_period(&[second, BODY_LONG]) + 1;
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 1);
    let mut body_second = PeriodTotal::new(&c, second, lookback);
    for i in lookback..c.len() {
        let (hi, lo) = (close[i].max(open[i]), close[i].min(open[i]));
        let (hi1, lo1) = (close[i - 1].max(open[i - 1]), close[i - 1].min(open[i - 1]));
        let shapes = (c.real_body(i - 1) > body_long.avg(&c, i - 1)) & (c.real_body(i) <= body_second.avg(&c, i));
        let size = if (hi < hi1) & (lo > lo1) {
            100.0
        } else if (hi <= hi1) & (lo >= lo1) {
            80.0
        } else {
            0.0
        };
        let v = if shapes { size } else { 0.0 };
        // `0.0 - v`, not `-v`: no negative zero when nothing is found.
        out[i] = if c.color(i - 1) == 1 { 0.0 - v } else { v };
        body_long.roll(&c, i - 1);
        body_second.roll(&c, i);
    }
    out
}

/// Bars before CDLHARAMI's first value.
pub fn cdlharami_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, BODY_LONG]) + 1
}

/// Harami: a long candle, then a short body inside its body.
pub fn cdlharami(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    harami_like(open, high, low, close, BODY_SHORT)
}

/// Bars before CDLHARAMICROSS's first value.
pub fn cdlharamicross_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, BODY_LONG]) + 1
}

/// Harami cross: a long candle, then a doji inside its body.
pub fn cdlharamicross(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    harami_like(open, high, low, close, BODY_DOJI)
}

/// Bars before CDLHOMINGPIGEON's first value.
pub fn cdlhomingpigeon_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, BODY_LONG]) + 1
}

/// Homing pigeon (bullish): a long black candle, then a short black body inside its
/// body.
pub fn cdlhomingpigeon(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlhomingpigeon_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 1);
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback);
    for i in lookback..c.len() {
        let hit = c.black(i - 1)
            & c.black(i)
            & (c.real_body(i - 1) > body_long.avg(&c, i - 1))
            & (c.real_body(i) <= body_short.avg(&c, i))
            & (open[i] < open[i - 1])
            & (close[i] > close[i - 1]);
        out[i] = if hit { 100.0 } else { 0.0 };
        body_long.roll(&c, i - 1);
        body_short.roll(&c, i);
    }
    out
}
