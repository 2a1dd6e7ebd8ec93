//! The indicator catalog as data (SPEC section 6): per indicator its code, group,
//! inputs, parameters (name, type, default, min, max) and outputs. `mystocks catalog`
//! prints it, and the server serves the same document (`GET /api/indicators/catalog`).

use indicators::{ParamKind, ParamSpec};
use serde::Serialize;

/// One parameter of a catalog entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CatalogParam {
    /// Name.
    pub name: &'static str,
    /// `integer`, `real` or `matype`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Default (an integer for integer types).
    #[schema(value_type = f64)]
    pub default: serde_json::Value,
    /// Smallest valid value.
    #[schema(value_type = f64)]
    pub min: serde_json::Value,
    /// Largest valid value.
    #[schema(value_type = f64)]
    pub max: serde_json::Value,
}

/// One indicator of the catalog.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CatalogEntry {
    /// Code, e.g. `MACD`.
    pub code: &'static str,
    /// TA-Lib's function group (`overlap`, `momentum`, `volume`, `volatility`, `cycle`,
    /// `price_transform`, `statistic`, `math_transform`, `math_operators`, `pattern`), or
    /// `china` for the MyTT flavours.
    pub group: &'static str,
    /// What the numbers are checked against: `talib` (TA-Lib 0.8) or `mytt` (MyTT).
    /// `KDJ` is MyTT's; TA-Lib's own KDJ is `TA_KDJ`.
    pub reference: &'static str,
    /// One line for people.
    pub description: &'static str,
    /// Input columns, e.g. `["high","low","close"]`.
    pub inputs: Vec<&'static str>,
    /// Parameters.
    pub params: Vec<CatalogParam>,
    /// Output names.
    pub outputs: Vec<&'static str>,
    /// Per output, `integer` for TA-Lib's integer outputs (candlestick patterns:
    /// -200..=200 in steps of 100; HT_TRENDMODE: 0 or 1; FRACTAL; SUPERTREND's `trend`;
    /// the *INDEX functions: bar indices), else `real`.
    pub output_types: Vec<&'static str>,
}

fn number(kind: ParamKind, v: f64) -> serde_json::Value {
    match kind {
        ParamKind::Real => serde_json::json!(v),
        ParamKind::Int | ParamKind::MaType => serde_json::json!(v as i64),
    }
}

fn param(p: &ParamSpec) -> CatalogParam {
    CatalogParam {
        name: p.name,
        kind: p.kind.name(),
        default: number(p.kind, p.default),
        min: number(p.kind, p.min),
        max: number(p.kind, p.max),
    }
}

/// Every indicator, in catalog order.
pub fn entries() -> Vec<CatalogEntry> {
    indicators::catalog()
        .iter()
        .map(|s| CatalogEntry {
            code: s.code,
            group: s.group,
            description: s.description,
            inputs: s.inputs.iter().map(|f| f.name()).collect(),
            params: s.params.iter().map(param).collect(),
            outputs: s.outputs.to_vec(),
            reference: match s.reference {
                indicators::Reference::TaLib => "talib",
                indicators::Reference::MyTT => "mytt",
            },
            output_types: (0..s.outputs.len())
                .map(|i| if s.output_is_integer(i) { "integer" } else { "real" })
                .collect(),
        })
        .collect()
}
