//! The catalog: every indicator's code, inputs, parameters and outputs, and the one
//! entry point that validates parameters and runs the kernel.
//!
//! Leading NaNs are handled as TA-Lib's Python wrapper handles them: the computation
//! starts at the first bar where every input is a number, and the outputs are shifted
//! back into place, so a series with a NaN prefix gives the same values as without it.

use std::sync::OnceLock;

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
    /// A per-bar period series (MAVP's second input): not a column of stored bars, so
    /// MAVP is computed only where the caller supplies it.
    Periods,
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
            Field::Periods => "periods",
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
    /// MAVP's period per bar (empty unless the caller has one).
    pub periods: &'a [f64],
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
            Field::Periods => self.periods,
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
            periods: cut(self.periods),
        }
    }
}

type Kernel = fn(&Bars, &Params) -> Vec<Vec<f64>>;
type Lookback = fn(&Params) -> usize;

/// One indicator of the catalog.
#[derive(Clone, Copy)]
pub struct IndicatorSpec {
    /// TA-Lib's code (or the China flavour's), upper case.
    pub code: &'static str,
    /// `overlap`, `momentum`, `volume`, `volatility`, `cycle`, `price_transform`,
    /// `statistic`, `math_transform`, `math_operators`, `pattern` or `china`.
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
        // Index outputs count bars from the series' first bar, as TA-Lib's wrapper does.
        let shift = if self.outputs_are_indices() { begin as f64 } else { 0.0 };
        Ok(tail
            .into_iter()
            .map(|t| {
                let mut full = vec![f64::NAN; begin];
                full.extend(t.iter().map(|v| v + shift));
                full
            })
            .collect())
    }

    /// Whether output `index` is an integer series (TA-Lib's integer outputs: the
    /// candlestick patterns, HT_TRENDMODE, FRACTAL, SUPERTREND's `trend` and the *INDEX
    /// functions). It is carried as f64 like every output, NaN inside the lookback, and
    /// is an exact integer elsewhere.
    pub fn output_is_integer(&self, index: usize) -> bool {
        match self.code {
            "HT_TRENDMODE" | "FRACTAL" => true,
            "SUPERTREND" => index == 1,
            _ => self.group == "pattern" || self.outputs_are_indices(),
        }
    }

    fn outputs_are_indices(&self) -> bool {
        matches!(self.code, "MAXINDEX" | "MININDEX" | "MINMAXINDEX")
    }
}

/// Every indicator, in catalog order: grouped as TA-Lib groups them, China flavours
/// after TA-Lib's groups.
pub fn catalog() -> &'static [IndicatorSpec] {
    static CATALOG: OnceLock<Vec<IndicatorSpec>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        [
            overlap::SPECS,
            momentum::SPECS,
            volume::SPECS,
            volatility::SPECS,
            cycle::SPECS,
            price_transform::SPECS,
            statistic::SPECS,
            math_transform::SPECS,
            math_operators::SPECS,
            pattern::SPECS,
            china::SPECS,
        ]
        .concat()
    })
}

/// The indicator with this code (case-insensitive).
pub fn find(code: &str) -> Result<&'static IndicatorSpec, IndicatorError> {
    catalog()
        .iter()
        .find(|s| s.code.eq_ignore_ascii_case(code))
        .ok_or_else(|| IndicatorError::UnknownIndicator(code.to_string()))
}

fn matype(p: &Params, name: &str) -> MaType {
    p.matype(name)
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

// One file per TA-Lib function group; each holds that group's entries. (Declared after
// the helpers above, which they use through `use super::*`.)
mod china;
mod cycle;
mod math_operators;
mod math_transform;
mod momentum;
mod overlap;
mod pattern;
mod price_transform;
mod statistic;
mod volatility;
mod volume;
