//! Bullish three-candle reversals: CDLMORNINGSTAR (long black, short star gapping down,
//! white closing well into the first body) and CDLMORNINGDOJISTAR (the star a doji).
//! `penetration` is how far into the first body the third close must reach.
//!
//! Each kernel returns, per bar, TA-Lib's integer as f64 (`100` or `0`) and NaN inside
//! the lookback; the candle averages come from [`super::candle`].

use super::candle::{max_avg_period, output, CandleSetting, Candles, PeriodTotal, BODY_DOJI, BODY_LONG, BODY_SHORT};

/// Bars before CDLMORNINGSTAR's first value (`penetration` does not change it).
pub fn cdlmorningstar_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, BODY_LONG]) + 2
}

/// The shared test: a long black candle, a star whose body is within `star` (at most
/// its average) and gaps down, then a white candle longer than short closing above the
/// first close plus `penetration` of the first body.
fn morning_with(c: &Candles, star: CandleSetting, lookback: usize, penetration: f64) -> Vec<f64> {
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(c, BODY_LONG, lookback - 2);
    let mut body_star = PeriodTotal::new(c, star, lookback - 1);
    let mut body_short = PeriodTotal::new(c, BODY_SHORT, lookback);
    for i in lookback..c.len() {
        // Branch-free: random data would mispredict the short-circuit.
        let hit = c.black(i - 2)
            & c.white(i)
            & c.real_body_gap_down(i - 1, i - 2)
            & (c.close[i] > c.close[i - 2] + c.real_body(i - 2) * penetration)
            & (c.real_body(i - 2) > body_long.avg(c, i - 2))
            & (c.real_body(i - 1) <= body_star.avg(c, i - 1))
            & (c.real_body(i) > body_short.avg(c, i));
        out[i] = if hit { 100.0 } else { 0.0 };
        body_long.roll(c, i - 2);
        body_star.roll(c, i - 1);
        body_short.roll(c, i);
    }
    out
}

/// Morning star (bullish): a long black candle, a short body gapping down, then a white
/// candle (longer than short) closing above the first close plus `penetration` times the
/// first body.
pub fn cdlmorningstar(open: &[f64], high: &[f64], low: &[f64], close: &[f64], penetration: f64) -> Vec<f64> {
    morning_with(&Candles::new(open, high, low, close), BODY_SHORT, cdlmorningstar_lookback(), penetration)
}

/// Bars before CDLMORNINGDOJISTAR's first value (`penetration` does not change it).
pub fn cdlmorningdojistar_lookback() -> usize {
    max_avg_period(&[BODY_DOJI, BODY_LONG, BODY_SHORT]) + 2
}

/// Morning doji star (bullish): a morning star whose star is a doji.
pub fn cdlmorningdojistar(open: &[f64], high: &[f64], low: &[f64], close: &[f64], penetration: f64) -> Vec<f64> {
    morning_with(&Candles::new(open, high, low, close), BODY_DOJI, cdlmorningdojistar_lookback(), penetration)
}
