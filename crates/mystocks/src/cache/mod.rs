//! The tiered cache: L1 (in-process, moka) -> L2 (Redis, shared) -> L3 (the store's
//! indicator history) -> the loader (compute from bars).
//!
//! - Read: the first tier that has the value answers, and every tier above it is filled
//!   in. Concurrent misses for one key in one process run the loader once.
//! - Write: L1 and L2 at once; L3 in the background, retried, and logged if it still fails.
//! - Invalidate: L1, then L2 (SCAN + UNLINK), then the store's rows, and a message on
//!   Redis Pub/Sub so every other instance drops its L1 entries too. While Redis is down
//!   the message cannot go out: other instances keep serving their L1 entry until
//!   `CACHE_L1_TTL` expires, and each instance empties its whole L1 when its
//!   subscription comes back, since it may have missed invalidations meanwhile.
//! - Generation guard: each symbol has a generation, bumped by invalidation (in Redis,
//!   and locally). A load remembers the generation it started under, and its result is
//!   written back only if that is still current (atomically in Redis, by script).
//! - Redis failures never fail a read: the breaker in [`crate::redis_link`] opens and
//!   the cache runs on L1 + store until Redis answers again.

pub mod keys;
pub mod l2;
pub mod tiered;

use std::collections::BTreeMap;

use indicators::{IndicatorError, IndicatorSpec, ParamValue, Params, RawParam};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use tiered::{CacheStats, LoadContext, LoadOutcome, Mode, TieredCache};

use crate::store::time::format_ts;
use crate::store::{Bar, IndicatorRow, StoreError};

/// Which tier answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// In-process cache.
    L1,
    /// Redis.
    L2,
    /// The store's indicator history.
    L3,
    /// Computed just now.
    Computed,
}

impl Source {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::L1 => "l1",
            Source::L2 => "l2",
            Source::L3 => "l3",
            Source::Computed => "computed",
        }
    }
}

/// Why a cached read failed. Redis trouble is never one of these: it degrades instead.
#[derive(Debug, Error)]
pub enum CacheError {
    /// The symbol is not in the store (remembered for a short time).
    #[error("unknown symbol `{0}`")]
    UnknownSymbol(String),
    /// The symbol or frequency is not acceptable in a key.
    #[error("{0}")]
    BadRequest(String),
    /// The indicator could not be computed (bad parameters or inputs).
    #[error(transparent)]
    Indicator(#[from] IndicatorError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The loader failed for another reason.
    #[error("{0}")]
    Load(String),
}

/// The parts of a request that go into keys and channels must be safe there.
fn check_key_parts(symbol: &str, freq: &str) -> Result<(), CacheError> {
    if !crate::market::valid_symbol(symbol) {
        return Err(CacheError::BadRequest(format!("bad symbol `{symbol}`")));
    }
    if !keys::valid_freq(freq) {
        return Err(CacheError::BadRequest(format!("bad frequency `{freq}` (e.g. 1d, 15m, 1h)")));
    }
    Ok(())
}

/// One indicator over one symbol's bars: what is asked for, fully resolved.
#[derive(Debug, Clone)]
pub struct IndicatorRequest {
    /// Symbol code (validated).
    pub symbol: String,
    /// The indicator.
    pub spec: &'static IndicatorSpec,
    /// Every parameter, defaults filled in.
    pub params: Params,
    /// `params_hash` of `params`.
    pub params_hash: String,
    /// Bar frequency (validated).
    pub freq: String,
}

impl IndicatorRequest {
    /// Validates and resolves a request.
    pub fn new<S: AsRef<str>>(
        symbol: &str,
        code: &str,
        given: &[(S, RawParam)],
        freq: &str,
    ) -> Result<Self, CacheError> {
        check_key_parts(symbol, freq)?;
        let spec = indicators::find(code)?;
        Self::from_resolved(symbol, spec, spec.resolve(given)?, freq)
    }

    /// A request from parameters already resolved (e.g. the standard set's).
    pub fn from_resolved(
        symbol: &str,
        spec: &'static IndicatorSpec,
        params: Params,
        freq: &str,
    ) -> Result<Self, CacheError> {
        check_key_parts(symbol, freq)?;
        let params_hash = keys::params_hash(&params);
        Ok(Self { symbol: symbol.to_string(), spec, params, params_hash, freq: freq.to_string() })
    }

    /// The L2 key under `prefix`.
    pub fn key(&self, prefix: &str) -> String {
        keys::indicator_key(prefix, &self.symbol, self.spec.code, &self.params_hash, &self.freq)
    }

    /// A result of this request with the given time, bars and outputs.
    fn result(
        &self,
        computed_at: i64,
        ts: Vec<i64>,
        dates: Vec<String>,
        outputs: BTreeMap<String, Vec<Option<f64>>>,
    ) -> IndicatorResult {
        IndicatorResult {
            symbol: self.symbol.clone(),
            code: self.spec.code.to_string(),
            params: self.params_json(),
            params_hash: self.params_hash.clone(),
            freq: self.freq.clone(),
            lookback: self.spec.lookback(&self.params),
            computed_at: rfc3339(computed_at),
            dates,
            outputs,
            ts,
        }
    }

    fn params_json(&self) -> serde_json::Map<String, serde_json::Value> {
        self.params
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    ParamValue::Int(i) => serde_json::json!(i),
                    ParamValue::Real(r) => serde_json::json!(r),
                };
                (k.to_string(), v)
            })
            .collect()
    }
}

/// An indicator result (SPEC section 6): the body of the API response, the value under
/// an `ind:` key, and `mystocks indicator --format json`. `source` is added on the way
/// out and never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    /// Symbol code.
    pub symbol: String,
    /// Indicator code.
    pub code: String,
    /// Every parameter, defaults filled in.
    pub params: serde_json::Map<String, serde_json::Value>,
    /// `params_hash`.
    pub params_hash: String,
    /// Bar frequency.
    pub freq: String,
    /// Bars before the first value.
    pub lookback: usize,
    /// When it was computed (RFC 3339 UTC).
    pub computed_at: String,
    /// Bar dates.
    pub dates: Vec<String>,
    /// Output series by name; `null` inside the lookback.
    pub outputs: BTreeMap<String, Vec<Option<f64>>>,
    /// Bar times (epoch seconds); kept for writing L3 rows, not part of the JSON.
    #[serde(skip)]
    pub ts: Vec<i64>,
}

fn rfc3339(epoch: i64) -> String {
    chrono::DateTime::from_timestamp(epoch, 0).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A symbol's bars as the columns the indicators read, with their times and printed
/// dates: built once and shared by every request over the same bars.
#[derive(Debug, Clone, Default)]
pub struct BarColumns {
    open: Vec<f64>,
    high: Vec<f64>,
    low: Vec<f64>,
    close: Vec<f64>,
    volume: Vec<f64>,
    ts: Vec<i64>,
}

impl BarColumns {
    /// The columns of `bars` (oldest first).
    pub fn new(bars: &[Bar]) -> Self {
        let col = |f: fn(&Bar) -> f64| bars.iter().map(f).collect::<Vec<f64>>();
        Self {
            open: col(|b| b.open),
            high: col(|b| b.high),
            low: col(|b| b.low),
            close: col(|b| b.close),
            volume: col(|b| b.volume),
            ts: bars.iter().map(|b| b.ts).collect(),
        }
    }

    /// No bars.
    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }

    /// The printed date of every bar at `freq`.
    pub fn dates(&self, freq: &str) -> Vec<String> {
        self.ts.iter().map(|&t| format_ts(t, freq)).collect()
    }

    fn series(&self, req: &IndicatorRequest) -> Result<Vec<Vec<f64>>, CacheError> {
        let input = indicators::Bars {
            open: &self.open,
            high: &self.high,
            low: &self.low,
            close: &self.close,
            volume: &self.volume,
        };
        Ok(req.spec.compute(&input, &req.params)?)
    }
}

/// Computes a request over `bars` (oldest first).
pub fn compute_result(req: &IndicatorRequest, bars: &[Bar]) -> Result<IndicatorResult, CacheError> {
    let cols = BarColumns::new(bars);
    compute_result_on(req, &cols, cols.dates(&req.freq))
}

/// Computes a request over shared columns, whose `dates` the caller printed once.
pub fn compute_result_on(
    req: &IndicatorRequest,
    cols: &BarColumns,
    dates: Vec<String>,
) -> Result<IndicatorResult, CacheError> {
    let outputs = req
        .spec
        .outputs
        .iter()
        .zip(cols.series(req)?)
        .map(|(name, s)| (name.to_string(), s.into_iter().map(|v| v.is_finite().then_some(v)).collect()))
        .collect();
    Ok(req.result(chrono::Utc::now().timestamp(), cols.ts.clone(), dates, outputs))
}

/// Computes a request over shared columns and keeps only its latest bar's L3 row: what
/// a job that stores no whole result needs.
pub fn compute_latest_row(
    req: &IndicatorRequest,
    cols: &BarColumns,
    computed_at: i64,
) -> Result<Option<IndicatorRow>, CacheError> {
    let Some(&ts) = cols.ts.last() else { return Ok(None) };
    let values = cols.series(req)?.iter().map(|s| s.last().copied().filter(|v| v.is_finite())).collect();
    Ok(Some(IndicatorRow {
        symbol: req.symbol.clone(),
        code: req.spec.code.to_string(),
        params_hash: req.params_hash.clone(),
        freq: req.freq.clone(),
        ts,
        values,
        computed_at: Some(computed_at),
    }))
}

/// The L3 rows of a result: one per bar, outputs in the indicator's order.
pub fn result_to_rows(req: &IndicatorRequest, result: &IndicatorResult) -> Vec<IndicatorRow> {
    let computed_at = chrono::DateTime::parse_from_rfc3339(&result.computed_at).ok().map(|d| d.timestamp());
    let columns: Vec<&Vec<Option<f64>>> = req.spec.outputs.iter().filter_map(|n| result.outputs.get(*n)).collect();
    result
        .ts
        .iter()
        .enumerate()
        .map(|(i, &ts)| IndicatorRow {
            symbol: req.symbol.clone(),
            code: req.spec.code.to_string(),
            params_hash: req.params_hash.clone(),
            freq: req.freq.clone(),
            ts,
            values: columns.iter().map(|c| c.get(i).copied().flatten()).collect(),
            computed_at,
        })
        .collect()
}

/// The L3 row of a result's latest bar (what the daily job stores).
pub fn latest_row(req: &IndicatorRequest, result: &IndicatorResult) -> Option<IndicatorRow> {
    let ts = *result.ts.last()?;
    let last = result.ts.len() - 1;
    Some(IndicatorRow {
        symbol: req.symbol.clone(),
        code: req.spec.code.to_string(),
        params_hash: req.params_hash.clone(),
        freq: req.freq.clone(),
        ts,
        values: req
            .spec
            .outputs
            .iter()
            .map(|n| result.outputs.get(*n).and_then(|c| c.get(last).copied().flatten()))
            .collect(),
        computed_at: chrono::DateTime::parse_from_rfc3339(&result.computed_at).ok().map(|d| d.timestamp()),
    })
}

/// Rebuilds a result from its L3 rows (`None` when there are none).
pub fn rows_to_result(req: &IndicatorRequest, rows: &[IndicatorRow]) -> Option<IndicatorResult> {
    let first = rows.first()?;
    let mut outputs: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for (k, name) in req.spec.outputs.iter().enumerate() {
        outputs.insert(name.to_string(), rows.iter().map(|r| r.values.get(k).copied().flatten()).collect());
    }
    let dates = rows.iter().map(|r| format_ts(r.ts, &req.freq)).collect();
    Some(req.result(first.computed_at.unwrap_or(0), rows.iter().map(|r| r.ts).collect(), dates, outputs))
}
