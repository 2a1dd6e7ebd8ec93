//! Three-candle patterns, CDL2CROWS to CDLGAPSIDESIDEWHITE in TA-Lib's alphabetical
//! list: two crows, three black crows, three inside, three outside, three stars in the
//! south, three white soldiers, abandoned baby, advance block, evening (doji) star,
//! up/down-gap side-by-side white lines.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `0`) and NaN
//! inside the lookback; the candle averages come from [`super::candle`].
//!
//! The tests of a pattern are combined with `&` and `|`, not `&&` and `||`: each is a
//! comparison of bars in range with no side effects, so evaluating them all gives
//! TA-Lib's answer without branches that random data would mispredict.

use super::candle::{
    max_avg_period, output, Candles, PeriodTotal, BODY_DOJI, BODY_LONG, BODY_SHORT, EQUAL, FAR, NEAR, SHADOW_LONG,
    SHADOW_SHORT, SHADOW_VERY_SHORT,
};

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
        let hit = c.white(i - 2)
            & (c.real_body(i - 2) > body_long.avg(&c, i - 2))
            & c.black(i - 1)
            & c.real_body_gap_up(i - 1, i - 2)
            & c.black(i)
            & (open[i] < open[i - 1])
            & (open[i] > close[i - 1])
            & (close[i] > open[i - 2])
            & (close[i] < close[i - 2]);
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
        // The colours packed as bits and tested at once (one branch, rarely taken on
        // random data), then the cheap comparisons; the averages (three divisions) only
        // when they pass.
        let colours = u8::from(c.white(i - 3))
            | u8::from(c.white(i - 2)) << 1
            | u8::from(c.white(i - 1)) << 2
            | u8::from(c.white(i)) << 3;
        let shape = colours == 0b0001
            && (open[i - 1] < open[i - 2])
                & (open[i - 1] > close[i - 2])
                & (open[i] < open[i - 1])
                & (open[i] > close[i - 1])
                & (high[i - 3] > close[i - 2])
                & (close[i - 2] > close[i - 1])
                & (close[i - 1] > close[i]);
        let hit = shape
            && (c.lower_shadow(i - 2) < svs2.avg(&c, i - 2))
                & (c.lower_shadow(i - 1) < svs1.avg(&c, i - 1))
                & (c.lower_shadow(i) < svs0.avg(&c, i));
        out[i] = if hit { -100.0 } else { 0.0 };
        svs2.roll(&c, i - 2);
        svs1.roll(&c, i - 1);
        svs0.roll(&c, i);
    }
    out
}

/// Bars before CDL3INSIDE's first value.
pub fn cdl3inside_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, BODY_LONG]) + 2
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
        // The colours and the third close packed in an integer: one branch, taken about
        // one bar in eight on random data, instead of branches on single colours; the
        // rest, with the averages (divisions), only when it passes.
        let key = u8::from(c.white(i - 2))
            | u8::from(c.white(i)) << 1
            | u8::from(close[i] < open[i - 2]) << 2
            | u8::from(close[i] > open[i - 2]) << 3;
        let hit = (key == 0b0101 || key == 0b1010)
            && (close[i - 1].max(open[i - 1]) < close[i - 2].max(open[i - 2]))
                & (close[i - 1].min(open[i - 1]) > close[i - 2].min(open[i - 2]))
            && (c.real_body(i - 2) > body_long.avg(&c, i - 2)) & (c.real_body(i - 1) <= body_short.avg(&c, i - 1));
        out[i] = if hit { -f64::from(c.color(i - 2)) * 100.0 } else { 0.0 };
        body_long.roll(&c, i - 2);
        body_short.roll(&c, i - 1);
    }
    out
}

/// Bars before CDL3OUTSIDE's first value.
pub fn cdl3outside_lookback() -> usize {
    3
}

/// Three outside up/down: an engulfing pattern (second body engulfs the first, of the
/// opposite colour) confirmed by a third candle closing beyond the second's close.
pub fn cdl3outside(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdl3outside_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    for i in lookback..c.len() {
        let hit = (c.white(i - 1)
            & c.black(i - 2)
            & (close[i - 1] > open[i - 2])
            & (open[i - 1] < close[i - 2])
            & (close[i] > close[i - 1]))
            | (c.black(i - 1)
                & c.white(i - 2)
                & (open[i - 1] > close[i - 2])
                & (close[i - 1] < open[i - 2])
                & (close[i] < close[i - 1]));
        out[i] = if hit { f64::from(c.color(i - 1)) * 100.0 } else { 0.0 };
    }
    out
}

/// Bars before CDL3STARSINSOUTH's first value.
pub fn cdl3starsinsouth_lookback() -> usize {
    max_avg_period(&[SHADOW_VERY_SHORT, SHADOW_LONG, BODY_LONG, BODY_SHORT]) + 2
}

/// Three stars in the south (bullish): a long black candle with a long lower shadow, a
/// smaller black candle opening above its close and holding above its low, then a small
/// black marubozu inside the second's range.
pub fn cdl3starsinsouth(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdl3starsinsouth_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    let mut shadow_long = PeriodTotal::new(&c, SHADOW_LONG, lookback - 2);
    let mut svs1 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 1);
    let mut svs0 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback);
    for i in lookback..c.len() {
        // Three black candles, tested at once on the packed colours (one bar in eight on
        // random data); the rest, with its averages (divisions), only when they pass.
        let colours = u8::from(c.white(i - 2)) | u8::from(c.white(i - 1)) << 1 | u8::from(c.white(i)) << 2;
        let hit = colours == 0
            && (c.real_body(i - 2) > body_long.avg(&c, i - 2))
                & (c.lower_shadow(i - 2) > shadow_long.avg(&c, i - 2))
                & (c.real_body(i - 1) < c.real_body(i - 2))
                & (open[i - 1] > close[i - 2])
                & (open[i - 1] <= high[i - 2])
                & (low[i - 1] < close[i - 2])
                & (low[i - 1] >= low[i - 2])
                & (c.lower_shadow(i - 1) > svs1.avg(&c, i - 1))
                & (c.real_body(i) < body_short.avg(&c, i))
                & (c.lower_shadow(i) < svs0.avg(&c, i))
                & (c.upper_shadow(i) < svs0.avg(&c, i))
                & (low[i] > low[i - 1])
                & (high[i] < high[i - 1]);
        out[i] = if hit { 100.0 } else { 0.0 };
        body_long.roll(&c, i - 2);
        shadow_long.roll(&c, i - 2);
        svs1.roll(&c, i - 1);
        svs0.roll(&c, i);
        body_short.roll(&c, i);
    }
    out
}

/// Bars before CDL3WHITESOLDIERS's first value.
pub fn cdl3whitesoldiers_lookback() -> usize {
    max_avg_period(&[SHADOW_VERY_SHORT, BODY_SHORT, FAR, NEAR]) + 2
}

/// Three advancing white soldiers (bullish): three white candles with rising closes,
/// each opening within or near the previous body, very short upper shadows, none far
/// shorter than the one before, the third not short.
pub fn cdl3whitesoldiers(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdl3whitesoldiers_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut svs2 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 2);
    let mut svs1 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 1);
    let mut svs0 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    let mut near2 = PeriodTotal::new(&c, NEAR, lookback - 2);
    let mut near1 = PeriodTotal::new(&c, NEAR, lookback - 1);
    let mut far2 = PeriodTotal::new(&c, FAR, lookback - 2);
    let mut far1 = PeriodTotal::new(&c, FAR, lookback - 1);
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback);
    for i in lookback..c.len() {
        // Three white candles, tested at once on the packed colours (one bar in eight on
        // random data), and the rising closes and opens; the averages (divisions) only
        // when they pass.
        let colours = u8::from(c.white(i - 2)) | u8::from(c.white(i - 1)) << 1 | u8::from(c.white(i)) << 2;
        let hit = colours == 0b111
            && (close[i] > close[i - 1])
                & (close[i - 1] > close[i - 2])
                & (open[i - 1] > open[i - 2])
                & (open[i] > open[i - 1])
            && (c.upper_shadow(i - 2) < svs2.avg(&c, i - 2))
                & (c.upper_shadow(i - 1) < svs1.avg(&c, i - 1))
                & (c.upper_shadow(i) < svs0.avg(&c, i))
                & (open[i - 1] <= close[i - 2] + near2.avg(&c, i - 2))
                & (open[i] <= close[i - 1] + near1.avg(&c, i - 1))
                & (c.real_body(i - 1) > c.real_body(i - 2) - far2.avg(&c, i - 2))
                & (c.real_body(i) > c.real_body(i - 1) - far1.avg(&c, i - 1))
                & (c.real_body(i) > body_short.avg(&c, i));
        out[i] = if hit { 100.0 } else { 0.0 };
        svs2.roll(&c, i - 2);
        svs1.roll(&c, i - 1);
        svs0.roll(&c, i);
        far2.roll(&c, i - 2);
        near2.roll(&c, i - 2);
        far1.roll(&c, i - 1);
        near1.roll(&c, i - 1);
        body_short.roll(&c, i);
    }
    out
}

/// Bars before CDLABANDONEDBABY's first value.
pub fn cdlabandonedbaby_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, BODY_LONG, BODY_SHORT]) + 2
}

/// Abandoned baby: a long candle, a doji gapping away from it (shadows not touching),
/// then an opposite candle, not short, gapping back and closing more than
/// `penetration` of the first body into it. Sign: the third candle's colour.
pub fn cdlabandonedbaby(open: &[f64], high: &[f64], low: &[f64], close: &[f64], penetration: f64) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlabandonedbaby_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    let mut body_doji = PeriodTotal::new(&c, BODY_DOJI, lookback - 1);
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback);
    for i in lookback..c.len() {
        // The cheap comparisons first; the averages (three divisions) only when they pass.
        let shape = (c.white(i - 2)
            & c.black(i)
            & (close[i] < close[i - 2] - c.real_body(i - 2) * penetration)
            & c.gap_up(i - 1, i - 2)
            & c.gap_down(i, i - 1))
            | (c.black(i - 2)
                & c.white(i)
                & (close[i] > close[i - 2] + c.real_body(i - 2) * penetration)
                & c.gap_down(i - 1, i - 2)
                & c.gap_up(i, i - 1));
        let hit = shape
            && (c.real_body(i - 2) > body_long.avg(&c, i - 2))
                & (c.real_body(i - 1) <= body_doji.avg(&c, i - 1))
                & (c.real_body(i) > body_short.avg(&c, i));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        body_long.roll(&c, i - 2);
        body_doji.roll(&c, i - 1);
        body_short.roll(&c, i);
    }
    out
}

/// Bars before CDLADVANCEBLOCK's first value.
pub fn cdladvanceblock_lookback() -> usize {
    max_avg_period(&[SHADOW_LONG, SHADOW_SHORT, FAR, NEAR, BODY_LONG]) + 2
}

/// Advance block (bearish): three white candles with rising closes, each opening
/// within or near the previous body, the first long with a short upper shadow, the
/// advance weakening (shrinking bodies and/or long upper shadows on the later two).
pub fn cdladvanceblock(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdladvanceblock_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut ss2 = PeriodTotal::new(&c, SHADOW_SHORT, lookback - 2);
    let mut ss1 = PeriodTotal::new(&c, SHADOW_SHORT, lookback - 1);
    let mut ss0 = PeriodTotal::new(&c, SHADOW_SHORT, lookback);
    let mut sl0 = PeriodTotal::new(&c, SHADOW_LONG, lookback);
    let mut near2 = PeriodTotal::new(&c, NEAR, lookback - 2);
    let mut near1 = PeriodTotal::new(&c, NEAR, lookback - 1);
    let mut far2 = PeriodTotal::new(&c, FAR, lookback - 2);
    let mut far1 = PeriodTotal::new(&c, FAR, lookback - 1);
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    for i in lookback..c.len() {
        let (b2, b1, b0) = (c.real_body(i - 2), c.real_body(i - 1), c.real_body(i));
        // The cheap comparisons first; the averages (divisions) only when they pass.
        let shape = c.white(i - 2)
            & c.white(i - 1)
            & c.white(i)
            & (close[i] > close[i - 1])
            & (close[i - 1] > close[i - 2])
            & (open[i - 1] > open[i - 2])
            & (open[i] > open[i - 1]);
        let hit = shape
            && (open[i - 1] <= close[i - 2] + near2.avg(&c, i - 2))
                & (open[i] <= close[i - 1] + near1.avg(&c, i - 1))
                & (b2 > body_long.avg(&c, i - 2))
                & (c.upper_shadow(i - 2) < ss2.avg(&c, i - 2))
                & (((b1 < b2 - far2.avg(&c, i - 2)) & (b0 < b1 + near1.avg(&c, i - 1)))
                    | (b0 < b1 - far1.avg(&c, i - 1))
                    | ((b0 < b1)
                        & (b1 < b2)
                        & ((c.upper_shadow(i) > ss0.avg(&c, i)) | (c.upper_shadow(i - 1) > ss1.avg(&c, i - 1))))
                    | ((b0 < b1) & (c.upper_shadow(i) > sl0.avg(&c, i))));
        out[i] = if hit { -100.0 } else { 0.0 };
        ss2.roll(&c, i - 2);
        ss1.roll(&c, i - 1);
        ss0.roll(&c, i);
        sl0.roll(&c, i);
        far2.roll(&c, i - 2);
        near2.roll(&c, i - 2);
        far1.roll(&c, i - 1);
        near1.roll(&c, i - 1);
        body_long.roll(&c, i - 2);
    }
    out
}

/// Bars before CDLEVENINGDOJISTAR's first value.
pub fn cdleveningdojistar_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, BODY_LONG, BODY_SHORT]) + 2
}

/// Evening doji star (bearish): a long white candle, a doji whose body gaps up, then a
/// black candle, not short, closing more than `penetration` of the first body into it.
pub fn cdleveningdojistar(open: &[f64], high: &[f64], low: &[f64], close: &[f64], penetration: f64) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdleveningdojistar_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    let mut body_doji = PeriodTotal::new(&c, BODY_DOJI, lookback - 1);
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback);
    for i in lookback..c.len() {
        let hit = c.white(i - 2)
            & c.black(i)
            & c.real_body_gap_up(i - 1, i - 2)
            & (close[i] < close[i - 2] - c.real_body(i - 2) * penetration)
            & (c.real_body(i - 2) > body_long.avg(&c, i - 2))
            & (c.real_body(i - 1) <= body_doji.avg(&c, i - 1))
            & (c.real_body(i) > body_short.avg(&c, i));
        out[i] = if hit { -100.0 } else { 0.0 };
        body_long.roll(&c, i - 2);
        body_doji.roll(&c, i - 1);
        body_short.roll(&c, i);
    }
    out
}

/// Bars before CDLEVENINGSTAR's first value.
pub fn cdleveningstar_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, BODY_LONG]) + 2
}

/// Evening star (bearish): a long white candle, a short body gapping up, then a black
/// candle, not short, closing more than `penetration` of the first body into it.
pub fn cdleveningstar(open: &[f64], high: &[f64], low: &[f64], close: &[f64], penetration: f64) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdleveningstar_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    let mut body_short1 = PeriodTotal::new(&c, BODY_SHORT, lookback - 1);
    let mut body_short0 = PeriodTotal::new(&c, BODY_SHORT, lookback);
    for i in lookback..c.len() {
        let hit = c.white(i - 2)
            & c.black(i)
            & c.real_body_gap_up(i - 1, i - 2)
            & (close[i] < close[i - 2] - c.real_body(i - 2) * penetration)
            & (c.real_body(i - 2) > body_long.avg(&c, i - 2))
            & (c.real_body(i - 1) <= body_short1.avg(&c, i - 1))
            & (c.real_body(i) > body_short0.avg(&c, i));
        out[i] = if hit { -100.0 } else { 0.0 };
        body_long.roll(&c, i - 2);
        body_short1.roll(&c, i - 1);
        body_short0.roll(&c, i);
    }
    out
}

/// Bars before CDLGAPSIDESIDEWHITE's first value.
pub fn cdlgapsidesidewhite_lookback() -> usize {
    max_avg_period(&[NEAR, EQUAL]) + 2
}

/// Up/down-gap side-by-side white lines: after a gap between bodies, two white candles
/// of near the same size and about the same open, both clear of the first body. Sign:
/// `100` for an upside gap, `-100` for a downside one.
pub fn cdlgapsidesidewhite(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlgapsidesidewhite_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut near = PeriodTotal::new(&c, NEAR, lookback - 1);
    let mut equal = PeriodTotal::new(&c, EQUAL, lookback - 1);
    for i in lookback..c.len() {
        let gap_up = c.real_body_gap_up(i - 1, i - 2);
        let hit = ((gap_up & c.real_body_gap_up(i, i - 2))
            | (c.real_body_gap_down(i - 1, i - 2) & c.real_body_gap_down(i, i - 2)))
            & c.white(i - 1)
            & c.white(i)
            & (c.real_body(i) >= c.real_body(i - 1) - near.avg(&c, i - 1))
            & (c.real_body(i) <= c.real_body(i - 1) + near.avg(&c, i - 1))
            & (open[i] >= open[i - 1] - equal.avg(&c, i - 1))
            & (open[i] <= open[i - 1] + equal.avg(&c, i - 1));
        out[i] = if !hit {
            0.0
        } else if gap_up {
            100.0
        } else {
            -100.0
        };
        near.roll(&c, i - 1);
        equal.roll(&c, i - 1);
    }
    out
}
