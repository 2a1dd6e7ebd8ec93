//! Patterns of four or more candles (and the hikkakes, whose confirmation comes up to
//! three bars later), CDL3LINESTRIKE to CDLHIKKAKEMOD in TA-Lib's alphabetical list:
//! three-line strike, breakaway, concealing baby swallow, hikkake, modified hikkake.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `200`, `0`, ...)
//! and NaN inside the lookback; the candle averages come from [`super::candle`].
//!
//! The tests of a pattern are combined with `&` and `|`, not `&&` and `||`: each is a
//! comparison of bars in range with no side effects, so evaluating them all gives
//! TA-Lib's answer without branches that random data would mispredict.

use super::candle::{output, Candles, PeriodTotal, BODY_LONG, NEAR, SHADOW_VERY_SHORT};

/// Bars before CDL3LINESTRIKE's first value.
pub fn cdl3linestrike_lookback() -> usize {
    NEAR.avg_period + 3
}

/// Three-line strike: three candles of one colour with rising (falling) closes, each
/// opening within or near the previous body, then an opposite candle opening beyond the
/// third close and closing beyond the first open. Sign: the first three's colour.
pub fn cdl3linestrike(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdl3linestrike_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut near3 = PeriodTotal::new(&c, NEAR, lookback - 3);
    let mut near2 = PeriodTotal::new(&c, NEAR, lookback - 2);
    for i in lookback..c.len() {
        // The colours packed in an integer: one branch, taken one bar in eight on
        // random data, instead of branches on single colours that it would mispredict.
        // The averages (divisions) only when the shape passes.
        let colours = u8::from(c.white(i - 3))
            | u8::from(c.white(i - 2)) << 1
            | u8::from(c.white(i - 1)) << 2
            | u8::from(c.white(i)) << 3;
        let shape = (colours == 0b0111 || colours == 0b1000)
            && ((c.white(i - 1)
                & (close[i - 1] > close[i - 2])
                & (close[i - 2] > close[i - 3])
                & (open[i] > close[i - 1])
                & (close[i] < open[i - 3]))
                | (c.black(i - 1)
                    & (close[i - 1] < close[i - 2])
                    & (close[i - 2] < close[i - 3])
                    & (open[i] < close[i - 1])
                    & (close[i] > open[i - 3])));
        let hit = shape
            && (open[i - 2] >= open[i - 3].min(close[i - 3]) - near3.avg(&c, i - 3))
                & (open[i - 2] <= open[i - 3].max(close[i - 3]) + near3.avg(&c, i - 3))
                & (open[i - 1] >= open[i - 2].min(close[i - 2]) - near2.avg(&c, i - 2))
                & (open[i - 1] <= open[i - 2].max(close[i - 2]) + near2.avg(&c, i - 2));
        out[i] = if hit { f64::from(c.color(i - 1)) * 100.0 } else { 0.0 };
        near3.roll(&c, i - 3);
        near2.roll(&c, i - 2);
    }
    out
}

/// Bars before CDLBREAKAWAY's first value.
pub fn cdlbreakaway_lookback() -> usize {
    BODY_LONG.avg_period + 4
}

/// Breakaway: a long candle, a same-colour candle gapping away from it, two more
/// candles extending the move (the fourth of the same colour), then an opposite candle
/// closing inside the gap between the first two. Sign: the fifth candle's colour.
pub fn cdlbreakaway(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlbreakaway_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 4);
    for i in lookback..c.len() {
        // The colours packed in an integer: one branch, taken one bar in eight on
        // random data, instead of branches on single colours that it would mispredict.
        let colours = u8::from(c.white(i - 4))
            | u8::from(c.white(i - 3)) << 1
            | u8::from(c.white(i - 1)) << 2
            | u8::from(c.white(i)) << 3;
        let shape = (colours == 0b0111 || colours == 0b1000)
            && ((c.black(i - 4)
                & c.real_body_gap_down(i - 3, i - 4)
                & (high[i - 2] < high[i - 3])
                & (low[i - 2] < low[i - 3])
                & (high[i - 1] < high[i - 2])
                & (low[i - 1] < low[i - 2])
                & (close[i] > open[i - 3])
                & (close[i] < close[i - 4]))
                | (c.white(i - 4)
                    & c.real_body_gap_up(i - 3, i - 4)
                    & (high[i - 2] > high[i - 3])
                    & (low[i - 2] > low[i - 3])
                    & (high[i - 1] > high[i - 2])
                    & (low[i - 1] > low[i - 2])
                    & (close[i] < open[i - 3])
                    & (close[i] > close[i - 4])));
        let hit = shape && (c.real_body(i - 4) > body_long.avg(&c, i - 4));
        out[i] = if hit { f64::from(c.color(i)) * 100.0 } else { 0.0 };
        body_long.roll(&c, i - 4);
    }
    out
}

/// Bars before CDLCONCEALBABYSWALL's first value.
pub fn cdlconcealbabyswall_lookback() -> usize {
    SHADOW_VERY_SHORT.avg_period + 3
}

/// Concealing baby swallow (bullish): two black marubozu, a black candle gapping down
/// whose upper shadow reaches into the second's body, then a black candle engulfing
/// the third, shadows included.
pub fn cdlconcealbabyswall(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlconcealbabyswall_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut svs3 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 3);
    let mut svs2 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 2);
    let mut svs1 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 1);
    for i in lookback..c.len() {
        // The cheap comparisons first; the averages (three divisions) only when they pass.
        // Four black candles, tested at once on the packed colours (one bar in sixteen).
        let colours = u8::from(c.white(i - 3))
            | u8::from(c.white(i - 2)) << 1
            | u8::from(c.white(i - 1)) << 2
            | u8::from(c.white(i)) << 3;
        let shape = colours == 0
            && c.real_body_gap_down(i - 1, i - 2)
                & (high[i - 1] > close[i - 2])
                & (high[i] > high[i - 1])
                & (low[i] < low[i - 1]);
        let hit = shape
            && (c.lower_shadow(i - 3) < svs3.avg(&c, i - 3))
                & (c.upper_shadow(i - 3) < svs3.avg(&c, i - 3))
                & (c.lower_shadow(i - 2) < svs2.avg(&c, i - 2))
                & (c.upper_shadow(i - 2) < svs2.avg(&c, i - 2))
                & (c.upper_shadow(i - 1) > svs1.avg(&c, i - 1));
        out[i] = if hit { 100.0 } else { 0.0 };
        svs3.roll(&c, i - 3);
        svs2.roll(&c, i - 2);
        svs1.roll(&c, i - 1);
    }
    out
}

/// The hikkake state machine shared by CDLHIKKAKE and CDLHIKKAKEMOD. Each bar gets the
/// pattern's sign there (`1` bullish, `-1` bearish, `0` none): a setup writes `+-100`
/// and remembers the bar; otherwise a close above (below) the high (low) of the bar
/// before the setup bar, within 3 bars of it, writes `+-200` and ends the watch. The
/// scan starts 3 bars before the first output, as TA-Lib's does.
struct Hikkake {
    idx: usize,
    result: i32,
}

impl Hikkake {
    /// One bar: the value TA-Lib writes there.
    #[inline]
    fn step(&mut self, c: &Candles, i: usize, sign: i32) -> i32 {
        if sign != 0 {
            self.result = 100 * sign;
            self.idx = i;
            self.result
        } else if i <= self.idx + 3
            && self.idx >= 1
            && ((self.result > 0 && c.close[i] > c.high[self.idx - 1])
                || (self.result < 0 && c.close[i] < c.low[self.idx - 1]))
        {
            self.idx = 0;
            self.result + 100 * self.result.signum()
        } else {
            0
        }
    }
}

/// Bars before CDLHIKKAKE's first value.
pub fn cdlhikkake_lookback() -> usize {
    5
}

/// Hikkake: an inside bar followed by a bar breaking out of it (lower high and low:
/// bullish `100`; higher high and low: bearish `-100`); a close beyond the inside bar's
/// high (low) within the next 3 bars is the confirmation, `200` (`-200`).
pub fn cdlhikkake(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlhikkake_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let setup = |i: usize| -> i32 {
        if (high[i - 1] < high[i - 2])
            & (low[i - 1] > low[i - 2])
            & (((high[i] < high[i - 1]) & (low[i] < low[i - 1])) | ((high[i] > high[i - 1]) & (low[i] > low[i - 1])))
        {
            if high[i] < high[i - 1] {
                1
            } else {
                -1
            }
        } else {
            0
        }
    };
    let mut state = Hikkake { idx: 0, result: 0 };
    for i in lookback - 3..lookback {
        state.step(&c, i, setup(i));
    }
    for i in lookback..c.len() {
        out[i] = f64::from(state.step(&c, i, setup(i)));
    }
    out
}

/// Bars before CDLHIKKAKEMOD's first value.
pub fn cdlhikkakemod_lookback() -> usize {
    NEAR.avg_period.max(1) + 5
}

/// Modified hikkake: two nested inside bars, the first of them closing near its low
/// (high), then a bar breaking down (up) out of the second; `100` (`-100`), confirmed
/// as in the hikkake by a close beyond the second inside bar within 3 bars, `200`
/// (`-200`).
pub fn cdlhikkakemod(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlhikkakemod_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut near = PeriodTotal::new(&c, NEAR, lookback - 5);
    let mut state = Hikkake { idx: 0, result: 0 };
    for i in lookback - 3..c.len() {
        let sign = if high[i - 2] < high[i - 3]
            && low[i - 2] > low[i - 3]
            && high[i - 1] < high[i - 2]
            && low[i - 1] > low[i - 2]
            && ((high[i] < high[i - 1] && low[i] < low[i - 1] && close[i - 2] <= low[i - 2] + near.avg(&c, i - 2))
                || (high[i] > high[i - 1] && low[i] > low[i - 1] && close[i - 2] >= high[i - 2] - near.avg(&c, i - 2)))
        {
            if high[i] < high[i - 1] {
                1
            } else {
                -1
            }
        } else {
            0
        };
        let v = state.step(&c, i, sign);
        if i >= lookback {
            out[i] = f64::from(v);
        }
        near.roll(&c, i - 2);
    }
    out
}
