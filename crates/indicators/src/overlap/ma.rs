//! MA — TA-Lib's moving-average switch (`TA_MA`), used by BBANDS, the stochastics,
//! MAVP and TA_KDJ: every `TA_MAType` of TA-Lib 0.8 (codes 0..=13).

use super::{ema, hma, kama, mama, rma, sma, t3, trima, wma, zlema};

/// TA-Lib's moving-average types, by their numeric code. Code 11 (`TA_MAType_DEFAULT`)
/// is not a type of its own: it selects the default of whichever parameter it is
/// given to (see [`MaType::from_code_or`]).
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
    /// 7: MESA adaptive (MAMA with fast limit 0.5 and slow limit 0.05, its `mama`
    /// line; the period is ignored).
    Mama,
    /// 8: Tillson's T3 with volume factor 0.7.
    T3,
    /// 9: Hull.
    Hma,
    /// 10: no smoothing: the input itself, whatever the period.
    Identity,
    /// 12: zero-lag exponential.
    Zlema,
    /// 13: Wilder's smoothing (RMA).
    Rma,
}

impl MaType {
    /// TA-Lib's code that stands for "the parameter's own default type".
    pub const DEFAULT_CODE: i64 = 11;
    /// The largest code TA-Lib accepts.
    pub const MAX_CODE: i64 = 13;

    /// The type for TA-Lib's numeric code; `None` for codes outside 0..=13 and for
    /// 11, which only has a meaning relative to a parameter's default.
    pub fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            0 => MaType::Sma,
            1 => MaType::Ema,
            2 => MaType::Wma,
            3 => MaType::Dema,
            4 => MaType::Tema,
            5 => MaType::Trima,
            6 => MaType::Kama,
            7 => MaType::Mama,
            8 => MaType::T3,
            9 => MaType::Hma,
            10 => MaType::Identity,
            12 => MaType::Zlema,
            13 => MaType::Rma,
            _ => return None,
        })
    }

    /// As [`MaType::from_code`], with 11 resolved to `default` (the parameter's own
    /// default, as TA-Lib resolves it).
    pub fn from_code_or(code: i64, default: MaType) -> Option<Self> {
        if code == Self::DEFAULT_CODE {
            Some(default)
        } else {
            Self::from_code(code)
        }
    }

    /// TA-Lib's numeric code of this type.
    pub fn code(self) -> i64 {
        match self {
            MaType::Sma => 0,
            MaType::Ema => 1,
            MaType::Wma => 2,
            MaType::Dema => 3,
            MaType::Tema => 4,
            MaType::Trima => 5,
            MaType::Kama => 6,
            MaType::Mama => 7,
            MaType::T3 => 8,
            MaType::Hma => 9,
            MaType::Identity => 10,
            MaType::Zlema => 12,
            MaType::Rma => 13,
        }
    }
}

/// MAMA's limits when it serves as a moving-average type.
const MA_MAMA_FAST: f64 = 0.5;
const MA_MAMA_SLOW: f64 = 0.05;
/// T3's volume factor when it serves as a moving-average type.
const MA_T3_VFACTOR: f64 = 0.7;

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
        MaType::Mama => mama::mama_lookback(),
        MaType::T3 => t3::t3_lookback(period),
        MaType::Hma => hma::hma_lookback(period),
        MaType::Identity => 0,
        MaType::Zlema => zlema::zlema_lookback(period),
        MaType::Rma => rma::rma_lookback(period),
    }
}

/// The moving average of `real` of the given type; a period of 1 (or the identity
/// type) copies the input, as TA-Lib does.
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
        MaType::Mama => mama::mama_line(real, MA_MAMA_FAST, MA_MAMA_SLOW),
        MaType::T3 => t3::t3(real, period, MA_T3_VFACTOR),
        MaType::Hma => hma::hma(real, period),
        MaType::Identity => real.to_vec(),
        MaType::Zlema => zlema::zlema(real, period),
        MaType::Rma => rma::rma(real, period),
    }
}
