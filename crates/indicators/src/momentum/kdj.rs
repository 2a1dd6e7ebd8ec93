//! TA_KDJ — TA-Lib 0.8's own KDJ (`TA_KDJ`): the slow stochastic's %K and %D (see
//! [`super::stoch`]), with `J = 3·K − 2·D`. Its default smoothing is Wilder's (RMA,
//! matype 13). Not the China flavour of the catalog's `KDJ` ([`crate::china::kdj`],
//! MyTT's formula).

use super::stoch::{stoch, stoch_lookback};
use crate::overlap::ma::MaType;

/// Bars before the first value (STOCH's lookback).
pub fn kdj_lookback(fastk: usize, slowk: usize, slowk_ma: MaType, slowd: usize, slowd_ma: MaType) -> usize {
    stoch_lookback(fastk, slowk, slowk_ma, slowd, slowd_ma)
}

/// `[k, d, j]`. The arguments are TA-Lib's, in TA-Lib's order.
#[allow(clippy::too_many_arguments)]
pub fn kdj(
    high: &[f64],
    low: &[f64],
    close: &[f64],
    fastk: usize,
    slowk: usize,
    slowk_ma: MaType,
    slowd: usize,
    slowd_ma: MaType,
) -> [Vec<f64>; 3] {
    let [k, d] = stoch(high, low, close, fastk, slowk, slowk_ma, slowd, slowd_ma);
    let j = k.iter().zip(&d).map(|(&k, &d)| 3.0 * k - 2.0 * d).collect();
    [k, d, j]
}
