//! Catalog entries: TA-Lib's Cycle Indicators (Hilbert transform).

use super::*;

pub(super) static SPECS: &[IndicatorSpec] = &[];
