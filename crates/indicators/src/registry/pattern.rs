//! Catalog entries: TA-Lib's Pattern Recognition functions (the CDL candlestick patterns).

use super::*;
use crate::pattern::{multi_candle, three_candle};

pub(super) static SPECS: &[IndicatorSpec] = &[
    IndicatorSpec {
        code: "CDL2CROWS",
        group: "pattern",
        description: "Two crows",
        inputs: OHLC,
        params: &[],
        outputs: &["integer"],
        reference: Reference::TaLib,
        kernel: |b, _| one!(three_candle::cdl2crows(b.open, b.high, b.low, b.close)),
        lookback: |_| three_candle::cdl2crows_lookback(),
    },
    IndicatorSpec {
        code: "CDL3BLACKCROWS",
        group: "pattern",
        description: "Three black crows",
        inputs: OHLC,
        params: &[],
        outputs: &["integer"],
        reference: Reference::TaLib,
        kernel: |b, _| one!(three_candle::cdl3blackcrows(b.open, b.high, b.low, b.close)),
        lookback: |_| three_candle::cdl3blackcrows_lookback(),
    },
    IndicatorSpec {
        code: "CDL3INSIDE",
        group: "pattern",
        description: "Three inside up/down",
        inputs: OHLC,
        params: &[],
        outputs: &["integer"],
        reference: Reference::TaLib,
        kernel: |b, _| one!(three_candle::cdl3inside(b.open, b.high, b.low, b.close)),
        lookback: |_| three_candle::cdl3inside_lookback(),
    },
    IndicatorSpec {
        code: "CDL3LINESTRIKE",
        group: "pattern",
        description: "Three-line strike",
        inputs: OHLC,
        params: &[],
        outputs: &["integer"],
        reference: Reference::TaLib,
        kernel: |b, _| one!(multi_candle::cdl3linestrike(b.open, b.high, b.low, b.close)),
        lookback: |_| multi_candle::cdl3linestrike_lookback(),
    },
];
