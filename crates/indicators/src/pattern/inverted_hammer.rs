//! Small body, long upper shadow, gapping away from the previous body: CDLINVERTEDHAMMER
//! (gap down, bullish) and CDLSHOOTINGSTAR (gap up, bearish).
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100` / `-100` or `0`) and NaN
//! inside the lookback; the candle averages come from [`super::candle`].

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_SHORT, SHADOW_LONG, SHADOW_VERY_SHORT};

/// Bars before CDLINVERTEDHAMMER's first value.
pub fn cdlinvertedhammer_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, SHADOW_LONG, SHADOW_VERY_SHORT]) + 1
}

/// The shared test: a short body with a long upper shadow and a very short lower one,
/// its body gapping up (`up`) or down from the previous body; `value` where it holds.
fn small_body_long_upper(c: &Candles, up: bool, value: f64) -> Vec<f64> {
    let lookback = cdlinvertedhammer_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body = PeriodTotal::new(c, BODY_SHORT, lookback);
    let mut shadow_long = PeriodTotal::new(c, SHADOW_LONG, lookback);
    let mut svs = PeriodTotal::new(c, SHADOW_VERY_SHORT, lookback);
    for i in lookback..c.len() {
        let gap = if up { c.real_body_gap_up(i, i - 1) } else { c.real_body_gap_down(i, i - 1) };
        // The tests without a division branch-free; the two averaged ones (divisions)
        // only when those pass.
        let hit = (gap & (c.upper_shadow(i) > shadow_long.avg(c, i)))
            && (c.real_body(i) < body.avg(c, i)) & (c.lower_shadow(i) < svs.avg(c, i));
        out[i] = if hit { value } else { 0.0 };
        body.roll(c, i);
        shadow_long.roll(c, i);
        svs.roll(c, i);
    }
    out
}

/// Inverted hammer (bullish): a small body with a long upper shadow and a very short
/// lower shadow, gapping down from the previous body.
pub fn cdlinvertedhammer(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    small_body_long_upper(&Candles::new(open, high, low, close), false, 100.0)
}

/// Bars before CDLSHOOTINGSTAR's first value.
pub fn cdlshootingstar_lookback() -> usize {
    cdlinvertedhammer_lookback()
}

/// Shooting star (bearish): a small body with a long upper shadow and a very short lower
/// shadow, gapping up from the previous body.
pub fn cdlshootingstar(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    small_body_long_upper(&Candles::new(open, high, low, close), true, -100.0)
}
