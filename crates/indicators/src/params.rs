//! Parameter specifications and resolved parameter sets.
//!
//! A [`ParamSpec`] describes one TA-Lib (or MyTT) parameter: name, type, default and
//! valid range. [`Params`] is a full, validated set (defaults filled in), which is
//! what kernels read and what a cache key is derived from.

use crate::error::IndicatorError;
use crate::MaType;

/// The type of a parameter, as TA-Lib declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A whole number (periods).
    Int,
    /// A real number (deviations, accelerations).
    Real,
    /// A TA-Lib moving-average type, 0..=13 (see [`crate::MaType`]; 11 stands for the
    /// parameter's own default).
    MaType,
}

impl ParamKind {
    /// The name used in the catalog (`integer`, `real`, `matype`).
    pub fn name(self) -> &'static str {
        match self {
            ParamKind::Int => "integer",
            ParamKind::Real => "real",
            ParamKind::MaType => "matype",
        }
    }
}

/// One parameter of an indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// TA-Lib's (or MyTT's lower-cased) parameter name.
    pub name: &'static str,
    /// Its type.
    pub kind: ParamKind,
    /// Its default.
    pub default: f64,
    /// Smallest valid value.
    pub min: f64,
    /// Largest valid value.
    pub max: f64,
}

impl ParamSpec {
    pub(crate) const fn int(name: &'static str, default: i64, min: i64, max: i64) -> Self {
        Self { name, kind: ParamKind::Int, default: default as f64, min: min as f64, max: max as f64 }
    }
    pub(crate) const fn real(name: &'static str, default: f64, min: f64, max: f64) -> Self {
        Self { name, kind: ParamKind::Real, default, min, max }
    }
    pub(crate) const fn matype(name: &'static str) -> Self {
        Self::matype_with_default(name, 0)
    }
    pub(crate) const fn matype_with_default(name: &'static str, default: i64) -> Self {
        Self { name, kind: ParamKind::MaType, default: default as f64, min: 0.0, max: MaType::MAX_CODE as f64 }
    }

    /// The default as a typed value.
    pub fn default_value(&self) -> ParamValue {
        match self.kind {
            ParamKind::Real => ParamValue::Real(self.default),
            ParamKind::Int | ParamKind::MaType => ParamValue::Int(self.default as i64),
        }
    }
}

/// A typed parameter value. Integers and reals stay distinct because the cache key
/// (`params_hash`) prints them as Python does: `14` versus `2.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue {
    /// An integer value.
    Int(i64),
    /// A real value.
    Real(f64),
}

impl ParamValue {
    /// The value as f64, whatever its type.
    pub fn as_f64(self) -> f64 {
        match self {
            ParamValue::Int(v) => v as f64,
            ParamValue::Real(v) => v,
        }
    }
}

impl std::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Int(v) => write!(f, "{v}"),
            ParamValue::Real(v) => write!(f, "{v:?}"),
        }
    }
}

/// A parameter value as a caller supplied it, before validation.
#[derive(Debug, Clone, PartialEq)]
pub enum RawParam {
    /// Text, as from a command line (`timeperiod=14`) or a query string.
    Text(String),
    /// A JSON integer.
    Int(i64),
    /// A JSON real.
    Real(f64),
}

impl From<&str> for RawParam {
    fn from(s: &str) -> Self {
        RawParam::Text(s.to_string())
    }
}
impl From<i64> for RawParam {
    fn from(v: i64) -> Self {
        RawParam::Int(v)
    }
}
impl From<f64> for RawParam {
    fn from(v: f64) -> Self {
        RawParam::Real(v)
    }
}

impl std::fmt::Display for RawParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawParam::Text(s) => f.write_str(s),
            RawParam::Int(v) => write!(f, "{v}"),
            RawParam::Real(v) => write!(f, "{v}"),
        }
    }
}

/// A complete, validated parameter set: one value per spec, in spec order.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    specs: &'static [ParamSpec],
    values: Vec<ParamValue>,
}

impl Params {
    /// Validates `given` against `specs`, filling defaults for what is not given.
    pub fn resolve<S: AsRef<str>>(
        code: &'static str,
        specs: &'static [ParamSpec],
        given: &[(S, RawParam)],
    ) -> Result<Self, IndicatorError> {
        let mut values: Vec<ParamValue> = specs.iter().map(ParamSpec::default_value).collect();
        let mut seen = vec![false; specs.len()];
        for (name, raw) in given {
            let name = name.as_ref();
            let Some(pos) = specs.iter().position(|s| s.name.eq_ignore_ascii_case(name)) else {
                return Err(IndicatorError::UnknownParam {
                    code,
                    name: name.to_string(),
                    valid: if specs.is_empty() {
                        "none".to_string()
                    } else if code == "KDJ" {
                        // The one name TA-Lib uses for another function (SPEC section 8).
                        "n, m1, m2; this KDJ is MyTT's, TA-Lib's KDJ is TA_KDJ".to_string()
                    } else {
                        specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
                    },
                });
            };
            if std::mem::replace(&mut seen[pos], true) {
                return Err(IndicatorError::DuplicateParam { code, name: specs[pos].name });
            }
            values[pos] = parse_value(code, &specs[pos], raw)?;
        }
        Ok(Self { specs, values })
    }

    /// The defaults of `specs`.
    pub fn defaults(specs: &'static [ParamSpec]) -> Self {
        Self { specs, values: specs.iter().map(ParamSpec::default_value).collect() }
    }

    fn value(&self, name: &str) -> ParamValue {
        // Kernels only ask for names their own spec declares; a miss is a bug in the
        // registry, caught by the catalog tests, so a neutral value is returned here
        // rather than panicking in a server.
        self.specs.iter().position(|s| s.name == name).map(|i| self.values[i]).unwrap_or(ParamValue::Int(0))
    }

    /// An integer parameter as a count (periods are validated >= 0 on resolve).
    pub fn usize(&self, name: &str) -> usize {
        match self.value(name) {
            ParamValue::Int(v) => v.max(0) as usize,
            ParamValue::Real(v) => v.max(0.0) as usize,
        }
    }

    /// A real parameter.
    pub fn real(&self, name: &str) -> f64 {
        self.value(name).as_f64()
    }

    /// A moving-average-type parameter. Code 11 (TA-Lib's `TA_MAType_DEFAULT`) is the
    /// parameter's own default, as TA-Lib resolves it per function (SMA for MA, BBANDS
    /// and the stochastics, RMA for TA_KDJ, ...).
    pub fn matype(&self, name: &str) -> MaType {
        let default = self
            .specs
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| MaType::from_code(s.default as i64))
            .unwrap_or(MaType::Sma);
        // Resolution admits only 0..=13, so the fallback is never taken.
        MaType::from_code_or(self.value(name).as_f64() as i64, default).unwrap_or(default)
    }

    /// (name, value) pairs in spec order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, ParamValue)> + '_ {
        self.specs.iter().map(|s| s.name).zip(self.values.iter().copied())
    }
}

fn parse_value(code: &'static str, spec: &ParamSpec, raw: &RawParam) -> Result<ParamValue, IndicatorError> {
    let wrong =
        |expected: &'static str| IndicatorError::WrongType { code, name: spec.name, expected, value: raw.to_string() };
    let value = match spec.kind {
        ParamKind::Int | ParamKind::MaType => {
            let expected = "an integer";
            let v = match raw {
                RawParam::Int(v) => *v,
                RawParam::Real(v) if v.fract() == 0.0 && v.abs() < 1e15 => *v as i64,
                RawParam::Real(_) => return Err(wrong(expected)),
                RawParam::Text(s) => s.trim().parse::<i64>().map_err(|_| wrong(expected))?,
            };
            ParamValue::Int(v)
        }
        ParamKind::Real => {
            let expected = "a number";
            let v = match raw {
                RawParam::Int(v) => *v as f64,
                RawParam::Real(v) => *v,
                RawParam::Text(s) => s.trim().parse::<f64>().map_err(|_| wrong(expected))?,
            };
            if !v.is_finite() {
                return Err(wrong("a finite number"));
            }
            ParamValue::Real(v)
        }
    };
    let v = value.as_f64();
    if v < spec.min || v > spec.max {
        let show = |x: f64| match spec.kind {
            // TA-Lib's "no limit" bound (3e37) reads better as an exponent.
            ParamKind::Real if x.abs() >= 1e15 => format!("{x:e}"),
            ParamKind::Real => format!("{x}"),
            _ => format!("{}", x as i64),
        };
        return Err(IndicatorError::OutOfRange {
            code,
            name: spec.name,
            value: value.to_string(),
            min: show(spec.min),
            max: show(spec.max),
        });
    }
    Ok(value)
}
