//! Catalog entries: TA-Lib's Cycle Indicators (Hilbert transform).

use super::*;
use crate::cycle::{dcperiod, dcphase, phasor, sine, trendmode};

pub(super) static SPECS: &[IndicatorSpec] = &[
    IndicatorSpec {
        code: "HT_DCPERIOD",
        group: "cycle",
        description: "Hilbert transform: dominant cycle period",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(dcperiod::ht_dcperiod(b.close)),
        lookback: |_| dcperiod::ht_dcperiod_lookback(),
    },
    IndicatorSpec {
        code: "HT_DCPHASE",
        group: "cycle",
        description: "Hilbert transform: dominant cycle phase (degrees)",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(dcphase::ht_dcphase(b.close)),
        lookback: |_| dcphase::ht_dcphase_lookback(),
    },
    IndicatorSpec {
        code: "HT_PHASOR",
        group: "cycle",
        description: "Hilbert transform: phasor components (in-phase and quadrature)",
        inputs: REAL,
        params: &[],
        outputs: &["inphase", "quadrature"],
        reference: Reference::TaLib,
        kernel: |b, _| phasor::ht_phasor(b.close).into(),
        lookback: |_| phasor::ht_phasor_lookback(),
    },
    IndicatorSpec {
        code: "HT_SINE",
        group: "cycle",
        description: "Hilbert transform: sine wave of the dominant cycle phase, and the lead sine (45° ahead)",
        inputs: REAL,
        params: &[],
        outputs: &["sine", "leadsine"],
        reference: Reference::TaLib,
        kernel: |b, _| sine::ht_sine(b.close).into(),
        lookback: |_| sine::ht_sine_lookback(),
    },
    IndicatorSpec {
        code: "HT_TRENDMODE",
        group: "cycle",
        description: "Hilbert transform: trend (1) vs cycle (0) mode",
        inputs: REAL,
        params: &[],
        outputs: &["integer"],
        reference: Reference::TaLib,
        kernel: |b, _| one!(trendmode::ht_trendmode(b.close)),
        lookback: |_| trendmode::ht_trendmode_lookback(),
    },
];
