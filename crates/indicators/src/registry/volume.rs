//! Catalog entries: TA-Lib's Volume Indicators.

use super::*;

pub(super) static SPECS: &[IndicatorSpec] = &[
    IndicatorSpec {
        code: "OBV",
        group: "volume",
        description: "On-balance volume",
        inputs: CV,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(obv::obv(b.close, b.volume)),
        lookback: |_| obv::obv_lookback(),
    },
    IndicatorSpec {
        code: "AD",
        group: "volume",
        description: "Chaikin accumulation/distribution line",
        inputs: HLCV,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(ad::ad(b.high, b.low, b.close, b.volume)),
        lookback: |_| ad::ad_lookback(),
    },
];
