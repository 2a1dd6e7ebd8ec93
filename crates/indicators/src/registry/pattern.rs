//! Catalog entries: TA-Lib's Pattern Recognition functions (the CDL candlestick patterns).

use super::*;

pub(super) static SPECS: &[IndicatorSpec] = &[];
