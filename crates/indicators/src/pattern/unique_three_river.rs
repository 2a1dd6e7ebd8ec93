//! CDLUNIQUE3RIVER: a long black candle, a black harami with a lower low, then a small
//! white candle opening above that low.
//!
//! The kernel returns, per bar, TA-Lib's integer as f64 (`100` or `0`) and NaN inside
//! the lookback; the candle averages come from [`super::candle`].

use super::candle::{max_avg_period, output, Candles, PeriodTotal, BODY_LONG, BODY_SHORT};

/// Bars before CDLUNIQUE3RIVER's first value.
pub fn cdlunique3river_lookback() -> usize {
    max_avg_period(&[BODY_SHORT, BODY_LONG]) + 2
}

/// Unique three river (bullish).
pub fn cdlunique3river(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlunique3river_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut body_long = PeriodTotal::new(&c, BODY_LONG, lookback - 2);
    let mut body_short = PeriodTotal::new(&c, BODY_SHORT, lookback);
    for i in lookback..c.len() {
        // Black, black, white, tested at once on the packed colours (one bar in eight on
        // random data); the rest after it, the averages (divisions) last.
        let colours = u8::from(c.white(i - 2)) | u8::from(c.white(i - 1)) << 1 | u8::from(c.white(i)) << 2;
        let shape = colours == 0b100
            && (close[i - 1] > close[i - 2])
                & (open[i - 1] <= open[i - 2])
                & (low[i - 1] < low[i - 2])
                & (open[i] > low[i - 1]);
        let hit = shape && (c.real_body(i - 2) > body_long.avg(&c, i - 2)) & (c.real_body(i) < body_short.avg(&c, i));
        out[i] = if hit { 100.0 } else { 0.0 };
        body_long.roll(&c, i - 2);
        body_short.roll(&c, i);
    }
    out
}
