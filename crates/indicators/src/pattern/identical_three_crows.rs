//! CDLIDENTICAL3CROWS: three declining black candles with very short lower shadows,
//! each opening at (about) the previous close.
//!
//! The kernel returns, per bar, TA-Lib's integer as f64 (`-100` or `0`) and NaN inside
//! the lookback; the candle averages come from [`super::candle`].

use super::candle::{max_avg_period, output, Candles, PeriodTotal, EQUAL, SHADOW_VERY_SHORT};

/// Bars before CDLIDENTICAL3CROWS's first value.
pub fn cdlidentical3crows_lookback() -> usize {
    max_avg_period(&[SHADOW_VERY_SHORT, EQUAL]) + 2
}

/// Identical three crows (bearish): three black candles with declining closes and very
/// short lower shadows, the second and third opening within "equal" of the prior close.
pub fn cdlidentical3crows(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdlidentical3crows_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut svs2 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 2);
    let mut svs1 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback - 1);
    let mut svs0 = PeriodTotal::new(&c, SHADOW_VERY_SHORT, lookback);
    let mut equal2 = PeriodTotal::new(&c, EQUAL, lookback - 2);
    let mut equal1 = PeriodTotal::new(&c, EQUAL, lookback - 1);
    for i in lookback..c.len() {
        // Three black candles and falling closes, tested at once (colours packed as
        // bits, one branch rarely taken on random data); the averages only after them.
        let colours = u8::from(c.white(i - 2)) | u8::from(c.white(i - 1)) << 1 | u8::from(c.white(i)) << 2;
        let hit = colours == 0
            && (close[i - 2] > close[i - 1]) & (close[i - 1] > close[i])
            && c.lower_shadow(i - 2) < svs2.avg(&c, i - 2)
            && c.lower_shadow(i - 1) < svs1.avg(&c, i - 1)
            && c.lower_shadow(i) < svs0.avg(&c, i)
            && open[i - 1] <= close[i - 2] + equal2.avg(&c, i - 2)
            && open[i - 1] >= close[i - 2] - equal2.avg(&c, i - 2)
            && open[i] <= close[i - 1] + equal1.avg(&c, i - 1)
            && open[i] >= close[i - 1] - equal1.avg(&c, i - 1);
        out[i] = if hit { -100.0 } else { 0.0 };
        svs2.roll(&c, i - 2);
        svs1.roll(&c, i - 1);
        svs0.roll(&c, i);
        equal2.roll(&c, i - 2);
        equal1.roll(&c, i - 1);
    }
    out
}
