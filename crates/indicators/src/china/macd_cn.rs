//! MACD_CN — MACD as Chinese trading software draws it (MyTT): DIF = EMA(C, short) −
//! EMA(C, long), DEA = EMA(DIF, m), MACD bar = 2·(DIF − DEA), with pandas' EMA seeded
//! on the first bar (so values start at bar 0 and need ~120 bars to settle).

use super::pandas::ewm_span;

/// Bars before the first value (MyTT's first non-NaN).
pub fn macd_cn_lookback() -> usize {
    0
}

/// `[dif, dea, macd]`.
pub fn macd_cn(close: &[f64], short: usize, long: usize, m: usize) -> [Vec<f64>; 3] {
    let es = ewm_span(close, short);
    let el = ewm_span(close, long);
    let dif: Vec<f64> = es.iter().zip(&el).map(|(a, b)| a - b).collect();
    let dea = ewm_span(&dif, m);
    let bar = dif.iter().zip(&dea).map(|(a, b)| (a - b) * 2.0).collect();
    [dif, dea, bar]
}
