//! Two opposite marubozu with a gap between them: CDLKICKING (signed by the second
//! candle) and CDLKICKINGBYLENGTH (signed by the longer of the two).
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100`, `-100`, `0`) and NaN
//! inside the lookback; the candle averages come from [`super::candle`].

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_LONG, SHADOW_VERY_SHORT};

/// Bars before CDLKICKING's first value.
pub fn cdlkicking_lookback() -> usize {
    max_avg_period(&[SHADOW_VERY_SHORT, BODY_LONG]) + 1
}

/// The shared test: a marubozu, then an opposite-colored marubozu gapping up (after a
/// black one) or down (after a white one); `sign(c, i)` gives the value's sign.
fn kicking_with(c: &Candles, sign: fn(&Candles, usize) -> i32) -> Vec<f64> {
    let lookback = cdlkicking_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body1 = PeriodTotal::new(c, BODY_LONG, lookback - 1);
    let mut body0 = PeriodTotal::new(c, BODY_LONG, lookback);
    let mut svs1 = PeriodTotal::new(c, SHADOW_VERY_SHORT, lookback - 1);
    let mut svs0 = PeriodTotal::new(c, SHADOW_VERY_SHORT, lookback);
    for i in lookback..c.len() {
        // Opposite colours with the gap that fits them, packed as bits and tested first
        // (gaps are rare, so the branch is predicted); the averages only after it.
        let colours = u8::from(c.white(i - 1)) | u8::from(c.white(i)) << 1;
        let black_then_gap_up = colours | u8::from(c.gap_up(i, i - 1)) << 2;
        let white_then_gap_down = colours | u8::from(c.gap_down(i, i - 1)) << 2;
        let hit = (black_then_gap_up == 0b110 || white_then_gap_down == 0b101)
            && c.real_body(i - 1) > body1.avg(c, i - 1)
            && c.upper_shadow(i - 1) < svs1.avg(c, i - 1)
            && c.lower_shadow(i - 1) < svs1.avg(c, i - 1)
            && c.real_body(i) > body0.avg(c, i)
            && c.upper_shadow(i) < svs0.avg(c, i)
            && c.lower_shadow(i) < svs0.avg(c, i);
        out[i] = if hit { f64::from(sign(c, i)) * 100.0 } else { 0.0 };
        body1.roll(c, i - 1);
        svs1.roll(c, i - 1);
        body0.roll(c, i);
        svs0.roll(c, i);
    }
    out
}

/// Kicking: a marubozu, then an opposite marubozu gapping away from it; bullish
/// (`100`) when the second is white, bearish (`-100`) when black.
pub fn cdlkicking(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    kicking_with(&Candles::new(open, high, low, close), |c, i| c.color(i))
}

/// Bars before CDLKICKINGBYLENGTH's first value.
pub fn cdlkickingbylength_lookback() -> usize {
    cdlkicking_lookback()
}

/// Kicking by length: kicking, signed by the color of the marubozu with the longer real
/// body (the first one when they are equal).
pub fn cdlkickingbylength(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    kicking_with(&Candles::new(open, high, low, close), |c, i| {
        c.color(if c.real_body(i) > c.real_body(i - 1) { i } else { i - 1 })
    })
}
