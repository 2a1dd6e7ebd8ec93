//! Catalog entries: TA-Lib's Statistic Functions.

use super::*;

pub(super) static SPECS: &[IndicatorSpec] = &[];
