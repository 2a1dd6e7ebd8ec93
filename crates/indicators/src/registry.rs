//! The catalog: every indicator's code, inputs, parameters and outputs, and the one
//! entry point that validates parameters and runs the kernel.
//!
//! Leading NaNs are handled as TA-Lib's Python wrapper handles them: the computation
//! starts at the first bar where every input is a number, and the outputs are shifted
//! back into place, so a series with a NaN prefix gives the same values as without it.

use crate::china::{bias, boll, kdj, macd_cn};
use crate::error::IndicatorError;
use crate::momentum::{aroon, cci, cmo, dmi, macd, mfi, mom, rsi, stoch, trix, willr};
use crate::operators::{arith, window};
use crate::overlap::ma::{self, MaType};
use crate::overlap::{bbands, ema, kama, midpoint, sar, sma, trima, wma};
use crate::params::{ParamSpec, Params, RawParam};
use crate::transform::{math, price};
use crate::volatility::{atr, stddev};
use crate::volume::{ad, obv};

/// An input column of a bar series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Opening price.
    Open,
    /// High.
    High,
    /// Low.
    Low,
    /// Close (TA-Lib's `real` input).
    Close,
    /// Volume.
    Volume,
}

impl Field {
    /// Lower-case name, as in the catalog and CSV headers.
    pub fn name(self) -> &'static str {
        match self {
            Field::Open => "open",
            Field::High => "high",
            Field::Low => "low",
            Field::Close => "close",
            Field::Volume => "volume",
        }
    }
}

/// Which reference an indicator's numbers are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// TA-Lib 0.8 (the `ta-lib` 0.8.2 Python wheel).
    TaLib,
    /// The MyTT library (China flavours).
    MyTT,
}

/// OHLCV columns of one symbol, oldest bar first. Columns an indicator does not use
/// may be empty.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bars<'a> {
    /// Opening prices.
    pub open: &'a [f64],
    /// Highs.
    pub high: &'a [f64],
    /// Lows.
    pub low: &'a [f64],
    /// Closes.
    pub close: &'a [f64],
    /// Volumes.
    pub volume: &'a [f64],
}

impl<'a> Bars<'a> {
    /// The column for `field`.
    pub fn field(&self, field: Field) -> &'a [f64] {
        match field {
            Field::Open => self.open,
            Field::High => self.high,
            Field::Low => self.low,
            Field::Close => self.close,
            Field::Volume => self.volume,
        }
    }

    fn slice_from(&self, begin: usize) -> Bars<'a> {
        let cut = |s: &'a [f64]| if s.len() >= begin { &s[begin..] } else { s };
        Bars {
            open: cut(self.open),
            high: cut(self.high),
            low: cut(self.low),
            close: cut(self.close),
            volume: cut(self.volume),
        }
    }
}

type Kernel = fn(&Bars, &Params) -> Vec<Vec<f64>>;
type Lookback = fn(&Params) -> usize;

/// One indicator of the catalog.
pub struct IndicatorSpec {
    /// TA-Lib's code (or the China flavour's), upper case.
    pub code: &'static str,
    /// `overlap`, `momentum`, `volume`, `volatility`, `price_transform`,
    /// `math_operators`, `math_transform` or `china`.
    pub group: &'static str,
    /// One line for people.
    pub description: &'static str,
    /// Input columns, in TA-Lib's order.
    pub inputs: &'static [Field],
    /// Parameters, in TA-Lib's order.
    pub params: &'static [ParamSpec],
    /// Output names (TA-Lib's lower-case names; `real` for one output).
    pub outputs: &'static [&'static str],
    /// The reference implementation the goldens come from.
    pub reference: Reference,
    kernel: Kernel,
    lookback: Lookback,
}

impl std::fmt::Debug for IndicatorSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndicatorSpec").field("code", &self.code).finish_non_exhaustive()
    }
}

impl IndicatorSpec {
    /// Validates caller-supplied parameters and fills in defaults.
    pub fn resolve<S: AsRef<str>>(&self, given: &[(S, RawParam)]) -> Result<Params, IndicatorError> {
        Params::resolve(self.code, self.params, given)
    }

    /// The defaults.
    pub fn default_params(&self) -> Params {
        Params::defaults(self.params)
    }

    /// Bars before the first output value (the largest over all outputs).
    pub fn lookback(&self, params: &Params) -> usize {
        (self.lookback)(params)
    }

    /// Runs the indicator; one vector per output, each as long as the input, NaN where
    /// there is no value.
    pub fn compute(&self, bars: &Bars, params: &Params) -> Result<Vec<Vec<f64>>, IndicatorError> {
        let first = self.inputs[0];
        let longest = self.inputs.iter().map(|&f| bars.field(f).len()).max().unwrap_or(0);
        if let Some(&missing) = self.inputs.iter().find(|&&f| bars.field(f).is_empty()) {
            if longest > 0 {
                return Err(IndicatorError::MissingInput { code: self.code, input: missing.name() });
            }
        }
        let n = bars.field(first).len();
        for &field in self.inputs {
            let col = bars.field(field);
            if col.len() != n {
                return Err(IndicatorError::LengthMismatch {
                    code: self.code,
                    first: first.name(),
                    input: field.name(),
                    expected: n,
                    got: col.len(),
                });
            }
        }
        let begin =
            self.inputs.iter().map(|&f| bars.field(f).iter().position(|v| !v.is_nan()).unwrap_or(n)).max().unwrap_or(0);
        if begin == 0 {
            return Ok((self.kernel)(bars, params));
        }
        let tail = (self.kernel)(&bars.slice_from(begin), params);
        Ok(tail
            .into_iter()
            .map(|t| {
                let mut full = vec![f64::NAN; begin];
                full.extend_from_slice(&t);
                full
            })
            .collect())
    }
}

/// Every indicator, in catalog order.
pub fn catalog() -> &'static [IndicatorSpec] {
    CATALOG
}

/// The indicator with this code (case-insensitive).
pub fn find(code: &str) -> Result<&'static IndicatorSpec, IndicatorError> {
    CATALOG
        .iter()
        .find(|s| s.code.eq_ignore_ascii_case(code))
        .ok_or_else(|| IndicatorError::UnknownIndicator(code.to_string()))
}

fn matype(p: &Params, name: &str) -> MaType {
    // Resolution rejects unimplemented types, so the fallback is never taken.
    MaType::from_code(p.usize(name) as i64).unwrap_or(MaType::Sma)
}

const MAXP: i64 = 100_000;
const BIG: f64 = 3.0e37;
const REAL: &[Field] = &[Field::Close];
const HL: &[Field] = &[Field::High, Field::Low];
const OHLC: &[Field] = &[Field::Open, Field::High, Field::Low, Field::Close];
const HLC: &[Field] = &[Field::High, Field::Low, Field::Close];
const HLCV: &[Field] = &[Field::High, Field::Low, Field::Close, Field::Volume];
const CV: &[Field] = &[Field::Close, Field::Volume];
const ONE: &[&str] = &["real"];

const fn period(default: i64, min: i64) -> [ParamSpec; 1] {
    [ParamSpec::int("timeperiod", default, min, MAXP)]
}

const P30: &[ParamSpec] = &period(30, 2);
const P14: &[ParamSpec] = &period(14, 2);
const P14_1: &[ParamSpec] = &period(14, 1);
const P10_1: &[ParamSpec] = &period(10, 1);
const P30_1: &[ParamSpec] = &period(30, 1);

macro_rules! one {
    ($e:expr) => {
        vec![$e]
    };
}

static CATALOG: &[IndicatorSpec] = &[
    // ---- overlap ----
    IndicatorSpec {
        code: "SMA",
        group: "overlap",
        description: "Simple moving average",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(sma::sma(b.close, p.usize("timeperiod"))),
        lookback: |p| sma::sma_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "EMA",
        group: "overlap",
        description: "Exponential moving average (SMA-seeded)",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(ema::ema(b.close, p.usize("timeperiod"))),
        lookback: |p| ema::ema_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "WMA",
        group: "overlap",
        description: "Linearly weighted moving average",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(wma::wma(b.close, p.usize("timeperiod"))),
        lookback: |p| wma::wma_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "DEMA",
        group: "overlap",
        description: "Double exponential moving average",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(ema::dema(b.close, p.usize("timeperiod"))),
        lookback: |p| ema::dema_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "TEMA",
        group: "overlap",
        description: "Triple exponential moving average",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(ema::tema(b.close, p.usize("timeperiod"))),
        lookback: |p| ema::tema_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "TRIMA",
        group: "overlap",
        description: "Triangular moving average",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(trima::trima(b.close, p.usize("timeperiod"))),
        lookback: |p| trima::trima_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "KAMA",
        group: "overlap",
        description: "Kaufman adaptive moving average",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(kama::kama(b.close, p.usize("timeperiod"))),
        lookback: |p| kama::kama_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "MA",
        group: "overlap",
        description: "Moving average of the chosen type (matype; a period of 1 is the input itself)",
        inputs: REAL,
        params: &[ParamSpec::int("timeperiod", 30, 1, MAXP), ParamSpec::matype("matype")],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| match p.usize("timeperiod") {
            1 => one!(b.close.to_vec()),
            period => one!(ma::ma(b.close, period, matype(p, "matype"))),
        },
        lookback: |p| match p.usize("timeperiod") {
            1 => 0,
            period => ma::ma_lookback(period, matype(p, "matype")),
        },
    },
    IndicatorSpec {
        code: "BBANDS",
        group: "overlap",
        description: "Bollinger bands",
        inputs: REAL,
        params: &[
            ParamSpec::int("timeperiod", 20, 2, MAXP),
            ParamSpec::real("nbdevup", 2.0, -BIG, BIG),
            ParamSpec::real("nbdevdn", 2.0, -BIG, BIG),
            ParamSpec::matype("matype"),
        ],
        outputs: &["upperband", "middleband", "lowerband"],
        reference: Reference::TaLib,
        kernel: |b, p| {
            bbands::bbands(b.close, p.usize("timeperiod"), p.real("nbdevup"), p.real("nbdevdn"), matype(p, "matype"))
                .into()
        },
        lookback: |p| bbands::bbands_lookback(p.usize("timeperiod"), matype(p, "matype")),
    },
    IndicatorSpec {
        code: "SAR",
        group: "overlap",
        description: "Parabolic SAR",
        inputs: HL,
        params: &[ParamSpec::real("acceleration", 0.02, 0.0, BIG), ParamSpec::real("maximum", 0.2, 0.0, BIG)],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(sar::sar(b.high, b.low, p.real("acceleration"), p.real("maximum"))),
        lookback: |_| sar::sar_lookback(),
    },
    IndicatorSpec {
        code: "MIDPOINT",
        group: "overlap",
        description: "Midpoint of the highest and lowest value over the period",
        inputs: REAL,
        params: P14,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(midpoint::midpoint(b.close, p.usize("timeperiod"))),
        lookback: |p| midpoint::midpoint_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "MIDPRICE",
        group: "overlap",
        description: "Midpoint of the highest high and lowest low over the period",
        inputs: HL,
        params: P14,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(midpoint::midprice(b.high, b.low, p.usize("timeperiod"))),
        lookback: |p| midpoint::midpoint_lookback(p.usize("timeperiod")),
    },
    // ---- momentum ----
    IndicatorSpec {
        code: "MACD",
        group: "momentum",
        description: "Moving average convergence/divergence",
        inputs: REAL,
        params: &[
            ParamSpec::int("fastperiod", 12, 2, MAXP),
            ParamSpec::int("slowperiod", 26, 2, MAXP),
            ParamSpec::int("signalperiod", 9, 1, MAXP),
        ],
        outputs: &["macd", "macdsignal", "macdhist"],
        reference: Reference::TaLib,
        kernel: |b, p| {
            macd::macd(b.close, p.usize("fastperiod"), p.usize("slowperiod"), p.usize("signalperiod")).into()
        },
        lookback: |p| macd::macd_lookback(p.usize("fastperiod"), p.usize("slowperiod"), p.usize("signalperiod")),
    },
    IndicatorSpec {
        code: "RSI",
        group: "momentum",
        description: "Relative strength index (Wilder)",
        inputs: REAL,
        params: P14,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(rsi::rsi(b.close, p.usize("timeperiod"))),
        lookback: |p| rsi::rsi_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "STOCH",
        group: "momentum",
        description: "Slow stochastic",
        inputs: HLC,
        params: &[
            ParamSpec::int("fastk_period", 5, 1, MAXP),
            ParamSpec::int("slowk_period", 3, 1, MAXP),
            ParamSpec::matype("slowk_matype"),
            ParamSpec::int("slowd_period", 3, 1, MAXP),
            ParamSpec::matype("slowd_matype"),
        ],
        outputs: &["slowk", "slowd"],
        reference: Reference::TaLib,
        kernel: |b, p| {
            stoch::stoch(
                b.high,
                b.low,
                b.close,
                p.usize("fastk_period"),
                p.usize("slowk_period"),
                matype(p, "slowk_matype"),
                p.usize("slowd_period"),
                matype(p, "slowd_matype"),
            )
            .into()
        },
        lookback: |p| {
            stoch::stoch_lookback(
                p.usize("fastk_period"),
                p.usize("slowk_period"),
                matype(p, "slowk_matype"),
                p.usize("slowd_period"),
                matype(p, "slowd_matype"),
            )
        },
    },
    IndicatorSpec {
        code: "STOCHF",
        group: "momentum",
        description: "Fast stochastic",
        inputs: HLC,
        params: &[
            ParamSpec::int("fastk_period", 5, 1, MAXP),
            ParamSpec::int("fastd_period", 3, 1, MAXP),
            ParamSpec::matype("fastd_matype"),
        ],
        outputs: &["fastk", "fastd"],
        reference: Reference::TaLib,
        kernel: |b, p| {
            stoch::stochf(
                b.high,
                b.low,
                b.close,
                p.usize("fastk_period"),
                p.usize("fastd_period"),
                matype(p, "fastd_matype"),
            )
            .into()
        },
        lookback: |p| {
            stoch::stochf_lookback(p.usize("fastk_period"), p.usize("fastd_period"), matype(p, "fastd_matype"))
        },
    },
    IndicatorSpec {
        code: "STOCHRSI",
        group: "momentum",
        description: "Stochastic of RSI",
        inputs: REAL,
        params: &[
            ParamSpec::int("timeperiod", 14, 2, MAXP),
            ParamSpec::int("fastk_period", 5, 1, MAXP),
            ParamSpec::int("fastd_period", 3, 1, MAXP),
            ParamSpec::matype("fastd_matype"),
        ],
        outputs: &["fastk", "fastd"],
        reference: Reference::TaLib,
        kernel: |b, p| {
            stoch::stochrsi(
                b.close,
                p.usize("timeperiod"),
                p.usize("fastk_period"),
                p.usize("fastd_period"),
                matype(p, "fastd_matype"),
            )
            .into()
        },
        lookback: |p| {
            stoch::stochrsi_lookback(
                p.usize("timeperiod"),
                p.usize("fastk_period"),
                p.usize("fastd_period"),
                matype(p, "fastd_matype"),
            )
        },
    },
    IndicatorSpec {
        code: "ADX",
        group: "momentum",
        description: "Average directional movement index",
        inputs: HLC,
        params: P14,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(dmi::adx(b.high, b.low, b.close, p.usize("timeperiod"))),
        lookback: |p| dmi::adx_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "PLUS_DI",
        group: "momentum",
        description: "Plus directional indicator",
        inputs: HLC,
        params: P14_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(dmi::plus_di(b.high, b.low, b.close, p.usize("timeperiod"))),
        lookback: |p| dmi::di_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "MINUS_DI",
        group: "momentum",
        description: "Minus directional indicator",
        inputs: HLC,
        params: P14_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(dmi::minus_di(b.high, b.low, b.close, p.usize("timeperiod"))),
        lookback: |p| dmi::di_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "CCI",
        group: "momentum",
        description: "Commodity channel index",
        inputs: HLC,
        params: P14,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(cci::cci(b.high, b.low, b.close, p.usize("timeperiod"))),
        lookback: |p| cci::cci_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "WILLR",
        group: "momentum",
        description: "Williams' %R",
        inputs: HLC,
        params: P14,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(willr::willr(b.high, b.low, b.close, p.usize("timeperiod"))),
        lookback: |p| willr::willr_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "MOM",
        group: "momentum",
        description: "Momentum",
        inputs: REAL,
        params: P10_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(mom::mom(b.close, p.usize("timeperiod"))),
        lookback: |p| mom::mom_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "ROC",
        group: "momentum",
        description: "Rate of change, percent",
        inputs: REAL,
        params: P10_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(mom::roc(b.close, p.usize("timeperiod"))),
        lookback: |p| mom::mom_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "ROCP",
        group: "momentum",
        description: "Rate of change percentage: (price - prevPrice) / prevPrice",
        inputs: REAL,
        params: P10_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(mom::rocp(b.close, p.usize("timeperiod"))),
        lookback: |p| mom::mom_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "ROCR",
        group: "momentum",
        description: "Rate of change ratio: price / prevPrice",
        inputs: REAL,
        params: P10_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(mom::rocr(b.close, p.usize("timeperiod"))),
        lookback: |p| mom::mom_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "ROCR100",
        group: "momentum",
        description: "Rate of change ratio, 100 scale: (price / prevPrice) x 100",
        inputs: REAL,
        params: P10_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(mom::rocr100(b.close, p.usize("timeperiod"))),
        lookback: |p| mom::mom_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "CMO",
        group: "momentum",
        description: "Chande momentum oscillator",
        inputs: REAL,
        params: P14,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(cmo::cmo(b.close, p.usize("timeperiod"))),
        lookback: |p| cmo::cmo_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "TRIX",
        group: "momentum",
        description: "1-bar rate of change of a triple EMA",
        inputs: REAL,
        params: P30_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(trix::trix(b.close, p.usize("timeperiod"))),
        lookback: |p| trix::trix_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "AROON",
        group: "momentum",
        description: "Aroon up and down",
        inputs: HL,
        params: P14,
        outputs: &["aroondown", "aroonup"],
        reference: Reference::TaLib,
        kernel: |b, p| aroon::aroon(b.high, b.low, p.usize("timeperiod")).into(),
        lookback: |p| aroon::aroon_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "AROONOSC",
        group: "momentum",
        description: "Aroon oscillator: aroonup - aroondown",
        inputs: HL,
        params: P14,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(aroon::aroonosc(b.high, b.low, p.usize("timeperiod"))),
        lookback: |p| aroon::aroon_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "BOP",
        group: "momentum",
        description: "Balance of power: (close - open) / (high - low)",
        inputs: OHLC,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(price::bop(b.open, b.high, b.low, b.close)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "MFI",
        group: "momentum",
        description: "Money flow index",
        inputs: HLCV,
        params: P14,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(mfi::mfi(b.high, b.low, b.close, b.volume, p.usize("timeperiod"))),
        lookback: |p| mfi::mfi_lookback(p.usize("timeperiod")),
    },
    // ---- volume ----
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
    // ---- volatility ----
    IndicatorSpec {
        code: "ATR",
        group: "volatility",
        description: "Average true range (Wilder)",
        inputs: HLC,
        params: P14_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(atr::atr(b.high, b.low, b.close, p.usize("timeperiod"))),
        lookback: |p| atr::atr_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "NATR",
        group: "volatility",
        description: "Normalised average true range, percent of close",
        inputs: HLC,
        params: P14_1,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(atr::natr(b.high, b.low, b.close, p.usize("timeperiod"))),
        lookback: |p| atr::natr_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "TRANGE",
        group: "volatility",
        description: "True range",
        inputs: HLC,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(atr::trange(b.high, b.low, b.close)),
        lookback: |_| atr::trange_lookback(),
    },
    IndicatorSpec {
        code: "STDDEV",
        group: "volatility",
        description: "Population standard deviation times nbdev",
        inputs: REAL,
        params: &[ParamSpec::int("timeperiod", 5, 2, MAXP), ParamSpec::real("nbdev", 1.0, -BIG, BIG)],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(stddev::stddev(b.close, p.usize("timeperiod"), p.real("nbdev"))),
        lookback: |p| stddev::stddev_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "VAR",
        group: "volatility",
        description: "Population variance (nbdev is accepted and ignored, as in TA-Lib)",
        inputs: REAL,
        params: &[ParamSpec::int("timeperiod", 5, 1, MAXP), ParamSpec::real("nbdev", 1.0, -BIG, BIG)],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(stddev::var(b.close, p.usize("timeperiod"))),
        lookback: |p| stddev::stddev_lookback(p.usize("timeperiod")),
    },
    // ---- China flavours (MyTT) ----
    IndicatorSpec {
        code: "KDJ",
        group: "china",
        description: "KDJ stochastic as drawn by Chinese trading software (MyTT)",
        inputs: HLC,
        params: &[ParamSpec::int("n", 9, 1, MAXP), ParamSpec::int("m1", 3, 1, MAXP), ParamSpec::int("m2", 3, 1, MAXP)],
        outputs: &["k", "d", "j"],
        reference: Reference::MyTT,
        kernel: |b, p| kdj::kdj(b.high, b.low, b.close, p.usize("n"), p.usize("m1"), p.usize("m2")).into(),
        lookback: |p| kdj::kdj_lookback(p.usize("n")),
    },
    IndicatorSpec {
        code: "MACD_CN",
        group: "china",
        description: "MACD with bar = 2 x (DIF - DEA), EMAs seeded at the first bar (MyTT)",
        inputs: REAL,
        params: &[
            ParamSpec::int("short", 12, 1, MAXP),
            ParamSpec::int("long", 26, 1, MAXP),
            ParamSpec::int("m", 9, 1, MAXP),
        ],
        outputs: &["dif", "dea", "macd"],
        reference: Reference::MyTT,
        kernel: |b, p| macd_cn::macd_cn(b.close, p.usize("short"), p.usize("long"), p.usize("m")).into(),
        lookback: |_| macd_cn::macd_cn_lookback(),
    },
    IndicatorSpec {
        code: "BIAS",
        group: "china",
        description: "Deviation from the moving average, percent, for three lengths (MyTT)",
        inputs: REAL,
        params: &[
            ParamSpec::int("l1", 6, 1, MAXP),
            ParamSpec::int("l2", 12, 1, MAXP),
            ParamSpec::int("l3", 24, 1, MAXP),
        ],
        outputs: &["bias1", "bias2", "bias3"],
        reference: Reference::MyTT,
        kernel: |b, p| bias::bias(b.close, p.usize("l1"), p.usize("l2"), p.usize("l3")).into(),
        lookback: |p| bias::bias_lookback(p.usize("l1"), p.usize("l2"), p.usize("l3")),
    },
    IndicatorSpec {
        code: "BOLL",
        group: "china",
        description: "Bollinger bands with population deviation (MyTT)",
        inputs: REAL,
        params: &[ParamSpec::int("n", 20, 1, MAXP), ParamSpec::real("p", 2.0, 0.0, 1000.0)],
        outputs: &["upper", "mid", "lower"],
        reference: Reference::MyTT,
        kernel: |b, p| boll::boll(b.close, p.usize("n"), p.real("p")).into(),
        lookback: |p| boll::boll_lookback(p.usize("n")),
    },
    // ---- price transform ----
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
    // ---- math operators ----
    IndicatorSpec {
        code: "ADD",
        group: "math_operators",
        description: "Vector arithmetic add: high + low (TA-Lib's default inputs)",
        inputs: HL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(arith::zip(b.high, b.low, |x, y| x + y)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "SUB",
        group: "math_operators",
        description: "Vector arithmetic subtraction: high - low (TA-Lib's default inputs)",
        inputs: HL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(arith::zip(b.high, b.low, |x, y| x - y)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "MULT",
        group: "math_operators",
        description: "Vector arithmetic multiply: high x low (TA-Lib's default inputs)",
        inputs: HL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(arith::zip(b.high, b.low, |x, y| x * y)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "DIV",
        group: "math_operators",
        description: "Vector arithmetic divide: high / low (TA-Lib's default inputs)",
        inputs: HL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(arith::zip(b.high, b.low, |x, y| x / y)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "CUMSUM",
        group: "math_operators",
        description: "Cumulative sum",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(arith::cumsum(b.close)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "MAX",
        group: "math_operators",
        description: "Highest value over a specified period",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(window::max(b.close, p.usize("timeperiod"))),
        lookback: |p| window::window_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "MIN",
        group: "math_operators",
        description: "Lowest value over a specified period",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(window::min(b.close, p.usize("timeperiod"))),
        lookback: |p| window::window_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "SUM",
        group: "math_operators",
        description: "Summation over a specified period",
        inputs: REAL,
        params: P30,
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, p| one!(window::sum(b.close, p.usize("timeperiod"))),
        lookback: |p| window::window_lookback(p.usize("timeperiod")),
    },
    IndicatorSpec {
        code: "MINMAX",
        group: "math_operators",
        description: "Lowest and highest values over a specified period",
        inputs: REAL,
        params: P30,
        outputs: &["min", "max"],
        reference: Reference::TaLib,
        kernel: |b, p| window::minmax(b.close, p.usize("timeperiod")).into(),
        lookback: |p| window::window_lookback(p.usize("timeperiod")),
    },
    // ---- math transform ----
    IndicatorSpec {
        code: "ACOS",
        group: "math_transform",
        description: "Vector trigonometric arccosine",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::acos)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "ASIN",
        group: "math_transform",
        description: "Vector trigonometric arcsine",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::asin)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "ATAN",
        group: "math_transform",
        description: "Vector trigonometric arctangent",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::atan)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "CEIL",
        group: "math_transform",
        description: "Vector ceiling",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::ceil)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "COS",
        group: "math_transform",
        description: "Vector trigonometric cosine",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::cos)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "COSH",
        group: "math_transform",
        description: "Vector trigonometric hyperbolic cosine",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::cosh)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "EXP",
        group: "math_transform",
        description: "Vector arithmetic exponent",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::exp)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "FLOOR",
        group: "math_transform",
        description: "Vector floor",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::floor)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "LN",
        group: "math_transform",
        description: "Vector natural logarithm",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::ln)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "LOG10",
        group: "math_transform",
        description: "Vector base-10 logarithm",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::log10)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "SIN",
        group: "math_transform",
        description: "Vector trigonometric sine",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::sin)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "SINH",
        group: "math_transform",
        description: "Vector trigonometric hyperbolic sine",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::sinh)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "SQRT",
        group: "math_transform",
        description: "Vector square root",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::sqrt)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "TAN",
        group: "math_transform",
        description: "Vector trigonometric tangent",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::tan)),
        lookback: |_| 0,
    },
    IndicatorSpec {
        code: "TANH",
        group: "math_transform",
        description: "Vector trigonometric hyperbolic tangent",
        inputs: REAL,
        params: &[],
        outputs: ONE,
        reference: Reference::TaLib,
        kernel: |b, _| one!(math::apply(b.close, f64::tanh)),
        lookback: |_| 0,
    },
];
