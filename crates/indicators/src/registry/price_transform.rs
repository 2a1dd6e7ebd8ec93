//! Catalog entries: TA-Lib's Price Transform functions.

use super::*;

pub(super) static SPECS: &[IndicatorSpec] = &[
    IndicatorSpec {
        code: "AVGPRICE",
        group: "price_transform",
        description: "Average price: (open + high + low + close) / 4",
        inputs: OHLC,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(price::avgprice(b.open, b.high, b.low, b.close)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "MEDPRICE",
        group: "price_transform",
        description: "Median price: (high + low) / 2",
        inputs: HL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(price::medprice(b.high, b.low)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "TYPPRICE",
        group: "price_transform",
        description: "Typical price: (high + low + close) / 3",
        inputs: HLC,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(price::typprice(b.high, b.low, b.close)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "WCLPRICE",
        group: "price_transform",
        description: "Weighted close price: (high + low + 2 close) / 4",
        inputs: HLC,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(price::wclprice(b.high, b.low, b.close)),
        lookback: |_| 0,
    },
];
