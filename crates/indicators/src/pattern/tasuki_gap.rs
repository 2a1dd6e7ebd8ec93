//! CDLTASUKIGAP: a body gap up (down), a white (black) candle, then an opposite candle
//! opening inside its body and closing inside the gap, the two bodies near the same size.
//!
//! The kernel returns, per bar, TA-Lib's integer as f64 (`100` for the upside version,
//! `-100` for the downside one, `0`) and NaN inside the lookback; the "near" average
//! comes from [`super::candle`].

use super::candle::{output, Candles, PeriodTotal, NEAR};

/// Bars before CDLTASUKIGAP's first value.
pub fn cdltasukigap_lookback() -> usize {
    NEAR.avg_period + 2
}

/// Tasuki gap.
pub fn cdltasukigap(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    let c = Candles::new(open, high, low, close);
    let lookback = cdltasukigap_lookback();
    let (mut out, any) = output(c.len(), lookback);
    if !any {
        return out;
    }
    let mut near = PeriodTotal::new(&c, NEAR, lookback - 1);
    for i in lookback..c.len() {
        // The cheap comparisons branch-free; the average (a division) only when they pass.
        let upside = c.real_body_gap_up(i - 1, i - 2)
            & c.white(i - 1)
            & c.black(i)
            & (open[i] < close[i - 1])
            & (open[i] > open[i - 1])
            & (close[i] < open[i - 1])
            & (close[i] > close[i - 2].max(open[i - 2]));
        let downside = c.real_body_gap_down(i - 1, i - 2)
            & c.black(i - 1)
            & c.white(i)
            & (open[i] < open[i - 1])
            & (open[i] > close[i - 1])
            & (close[i] > open[i - 1])
            & (close[i] < close[i - 2].min(open[i - 2]));
        let same_size = || (c.real_body(i - 1) - c.real_body(i)).abs() < near.avg(&c, i - 1);
        out[i] = if (upside | downside) && same_size() { f64::from(c.color(i - 1)) * 100.0 } else { 0.0 };
        near.roll(&c, i - 1);
    }
    out
}
