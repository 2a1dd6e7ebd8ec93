//! MA — TA-Lib's moving-average switch (`TA_MA`), used by BBANDS and the stochastics.

use super::{ema, kama, sma, trima, wma};

/// TA-Lib's moving-average types. MAMA (7) and T3 (8) are not implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaType {
    /// 0: simple.
    Sma,
    /// 1: exponential.
    Ema,
    /// 2: weighted.
    Wma,
    /// 3: double exponential.
    Dema,
    /// 4: triple exponential.
    Tema,
    /// 5: triangular.
    Trima,
    /// 6: Kaufman adaptive.
    Kama,
}

impl MaType {
    /// The type for TA-Lib's numeric code, if implemented.
    pub fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            0 => MaType::Sma,
            1 => MaType::Ema,
            2 => MaType::Wma,
            3 => MaType::Dema,
            4 => MaType::Tema,
            5 => MaType::Trima,
            6 => MaType::Kama,
            _ => return None,
        })
    }
}

/// Bars before the first value of `ma(.., period, matype)`.
pub fn ma_lookback(period: usize, matype: MaType) -> usize {
    if period <= 1 {
        return 0;
    }
    match matype {
        MaType::Sma => sma::sma_lookback(period),
        MaType::Ema => ema::ema_lookback(period),
        MaType::Wma => wma::wma_lookback(period),
        MaType::Dema => ema::dema_lookback(period),
        MaType::Tema => ema::tema_lookback(period),
        MaType::Trima => trima::trima_lookback(period),
        MaType::Kama => kama::kama_lookback(period),
    }
}

/// The moving average of `real` of the given type; a period of 1 copies the input,
/// as TA-Lib does.
pub fn ma(real: &[f64], period: usize, matype: MaType) -> Vec<f64> {
    if period <= 1 {
        return real.to_vec();
    }
    match matype {
        MaType::Sma => sma::sma(real, period),
        MaType::Ema => ema::ema(real, period),
        MaType::Wma => wma::wma(real, period),
        MaType::Dema => ema::dema(real, period),
        MaType::Tema => ema::tema(real, period),
        MaType::Trima => trima::trima(real, period),
        MaType::Kama => kama::kama(real, period),
    }
}
