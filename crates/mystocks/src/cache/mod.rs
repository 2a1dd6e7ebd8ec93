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
//! - Coverage: a tier answers a request only with a result over every bar of the series
//!   as it is now. Every result records the revision of the bars it was computed from
//!   (`bars_rev`, see [`crate::store::SeriesState`]); a load reads the series' revision
//!   first and takes a cached result only if it has that revision (a result written by
//!   another system, without one, only if its dates are exactly the stored bars'). So a
//!   stale or narrower result in L2 or L3 is never served, whatever wrote it; L1, which
//!   must answer without a store round trip, is emptied for a symbol whenever its bars
//!   change: by the writer, by Pub/Sub from other instances, and by a poll of the
//!   store's change feed that works without Redis. Empty results are not cached.
//! - Generation guard: each symbol has a generation, bumped by invalidation (in Redis,
//!   and locally). A load remembers the generation it started under, and its result is
//!   written back only if that is still current (atomically in Redis, by script).
//! - Keys: results only under `ind:`; generations under `gen:` and fencing records
//!   under `fence:`, each with a TTL.
//! - Redis failures never fail a read: the breaker in [`crate::redis_link`] opens and
//!   the cache runs on L1 + store until Redis answers again.

pub mod keys;
pub mod l2;
pub mod tiered;
mod watch;

use std::collections::BTreeMap;

use indicators::{IndicatorError, IndicatorSpec, ParamValue, Params, RawParam};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use tiered::{CacheStats, LoadContext, LoadOutcome, Mode, RemoteInvalidation, TieredCache};

use crate::store::time::{format_ts, parse_ts};
use crate::store::{Bar, BarRange, IndicatorRow, StoreError, FULL_SERIES};

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

    /// The fencing record key of this request (see [`keys::fence_key`]).
    pub fn fence_key(&self, prefix: &str) -> String {
        keys::fence_key(prefix, &self.symbol, self.spec.code, &self.params_hash, &self.freq)
    }

    /// A result of this request with the given time, bars and outputs.
    fn result(
        &self,
        computed_at: Option<i64>,
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
            computed_at: computed_at.map(rfc3339),
            bars_rev: None,
            dates,
            outputs,
            ts,
            encoded: Encoded::default(),
        }
    }

    /// The result over no bars (a series with no bars at this frequency).
    pub fn empty_result(&self) -> IndicatorResult {
        let outputs = self.spec.outputs.iter().map(|n| (n.to_string(), Vec::new())).collect();
        self.result(Some(chrono::Utc::now().timestamp()), Vec::new(), Vec::new(), outputs)
    }

    /// Whether `value` is a result of this request with the shape of this indicator: the
    /// same symbol and code, exactly this indicator's outputs, one value per date.
    pub fn shapes(&self, value: &IndicatorResult) -> bool {
        value.symbol == self.symbol
            && value.code.eq_ignore_ascii_case(self.spec.code)
            && value.outputs.len() == self.spec.outputs.len()
            && self.spec.outputs.iter().all(|n| value.outputs.get(*n).is_some_and(|s| s.len() == value.dates.len()))
    }

    /// Fills what a value written by another client may lack from this request (the key
    /// it was found under names the same symbol, indicator and parameters): params with
    /// every default, `params_hash`, `freq`, `lookback`.
    pub fn fill(&self, value: &mut IndicatorResult) {
        value.code = self.spec.code.to_string();
        value.params = self.params_json();
        value.params_hash.clone_from(&self.params_hash);
        value.freq.clone_from(&self.freq);
        value.lookback = self.spec.lookback(&self.params);
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
    /// `params_hash` (filled from the key when a writer left it out).
    #[serde(default)]
    pub params_hash: String,
    /// Bar frequency (filled from the key when a writer left it out).
    #[serde(default)]
    pub freq: String,
    /// Bars before the first value.
    #[serde(default)]
    pub lookback: usize,
    /// When it was computed (RFC 3339 UTC); `null` when the writer did not say (a value
    /// written by another client).
    #[serde(default)]
    pub computed_at: Option<String>,
    /// The revision of the bars it was computed from (absent in values written by other
    /// clients): what every tier checks before answering with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bars_rev: Option<i64>,
    /// Bar dates.
    pub dates: Vec<String>,
    /// Output series by name; `null` inside the lookback.
    pub outputs: BTreeMap<String, Vec<Option<f64>>>,
    /// Bar times (epoch seconds); kept for writing L3 rows, not part of the JSON.
    #[serde(skip)]
    pub ts: Vec<i64>,
    /// The JSON of this result as served, encoded once on first use (see
    /// [`IndicatorResult::encoded`]).
    #[serde(skip)]
    pub encoded: Encoded,
}

/// A result's response body, encoded once: an L1 hit is then answered with these bytes,
/// no serialisation. Not part of the value: a copy starts empty (it may be changed).
#[derive(Default)]
pub struct Encoded(std::sync::OnceLock<EncodedBody>);

/// See [`Encoded`].
#[derive(Debug)]
pub struct EncodedBody {
    /// The SPEC's JSON with `"source":"l1"` last (other sources swap that last value).
    pub l1: bytes::Bytes,
    /// A weak validator of the value (not of its `source`): `W/"<64-bit hash>"`.
    pub etag: String,
}

impl Clone for Encoded {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for Encoded {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() { "Encoded(..)" } else { "Encoded(empty)" })
    }
}

/// The tail every encoded body ends with before a source is chosen.
const L1_TAIL: &[u8] = br#","source":"l1"}"#;

impl IndicatorResult {
    /// This result's body and validator, encoded on first call.
    pub fn encoded(&self) -> &EncodedBody {
        self.encoded.0.get_or_init(|| {
            let mut json = serde_json::to_vec(self).unwrap_or_else(|_| b"{}".to_vec());
            let etag = {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                json.hash(&mut h);
                format!("W/\"{:016x}\"", h.finish())
            };
            json.pop(); // the closing brace
            if json.len() > 1 {
                json.extend_from_slice(L1_TAIL);
            } else {
                json.extend_from_slice(&L1_TAIL[1..]);
            }
            EncodedBody { l1: bytes::Bytes::from(json), etag }
        })
    }

    /// The response body with `source` (no serialisation for `l1`; a copy otherwise).
    pub fn body(&self, source: Source) -> bytes::Bytes {
        let encoded = self.encoded();
        if source == Source::L1 {
            return encoded.l1.clone();
        }
        let head = &encoded.l1[..encoded.l1.len() - br#""l1"}"#.len()];
        let mut out = Vec::with_capacity(encoded.l1.len() + 8);
        out.extend_from_slice(head);
        out.push(b'"');
        out.extend_from_slice(source.as_str().as_bytes());
        out.extend_from_slice(br#""}"#);
        bytes::Bytes::from(out)
    }
}

impl IndicatorResult {
    /// The part of the result inside `range` (by bar time; `limit` keeps the latest N
    /// of what is left): how `start`, `end` and `limit` slice a full computation.
    pub fn slice(&self, range: &BarRange) -> IndicatorResult {
        if range == &BarRange::default() {
            return self.clone();
        }
        let times: Vec<i64> = if self.ts.len() == self.dates.len() {
            self.ts.clone()
        } else {
            self.dates.iter().map(|d| parse_ts(d).unwrap_or(i64::MIN)).collect()
        };
        let first = times.partition_point(|&t| t < range.lower());
        let mut end = times.partition_point(|&t| t <= range.upper());
        end = end.max(first);
        let begin = match range.limit {
            Some(n) => end.saturating_sub(n).max(first),
            None => first,
        };
        let mut out = self.clone();
        out.dates = self.dates[begin..end].to_vec();
        out.ts = if self.ts.len() == self.dates.len() { self.ts[begin..end].to_vec() } else { Vec::new() };
        for (name, series) in &mut out.outputs {
            if let Some(all) = self.outputs.get(name) {
                *series = all.get(begin..end).map(<[_]>::to_vec).unwrap_or_default();
            }
        }
        out
    }
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
            periods: &[],
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
    Ok(req.result(Some(chrono::Utc::now().timestamp()), cols.ts.clone(), dates, outputs))
}

/// Computes a request over shared columns and keeps only its latest bar's L3 row: what
/// a job that stores no whole result needs. `span` and `bars_rev` say what the columns
/// are (the latest `span` bars, at that revision).
pub fn compute_latest_row(
    req: &IndicatorRequest,
    cols: &BarColumns,
    computed_at: i64,
    span: u32,
    bars_rev: i64,
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
        span,
        bars_rev,
    }))
}

/// The L3 rows of a full-series result: one per bar, outputs in the indicator's order.
/// Empty when the result has no revision or no bar times (nothing it could be checked by).
pub fn result_to_rows(req: &IndicatorRequest, result: &IndicatorResult) -> Vec<IndicatorRow> {
    let Some(bars_rev) = result.bars_rev else { return Vec::new() };
    let computed_at = parse_computed_at(result);
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
            span: FULL_SERIES,
            bars_rev,
        })
        .collect()
}

fn parse_computed_at(result: &IndicatorResult) -> Option<i64> {
    result.computed_at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).map(|d| d.timestamp())
}

/// The L3 row of a result's latest bar (what the daily job stores), over the latest
/// `span` bars at revision `bars_rev`.
pub fn latest_row(req: &IndicatorRequest, result: &IndicatorResult, span: u32, bars_rev: i64) -> Option<IndicatorRow> {
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
        computed_at: parse_computed_at(result),
        span,
        bars_rev,
    })
}

/// Rebuilds a result from its L3 rows (`None` when there are none), with their revision.
pub fn rows_to_result(req: &IndicatorRequest, rows: &[IndicatorRow]) -> Option<IndicatorResult> {
    let first = rows.first()?;
    let mut outputs: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for (k, name) in req.spec.outputs.iter().enumerate() {
        outputs.insert(name.to_string(), rows.iter().map(|r| r.values.get(k).copied().flatten()).collect());
    }
    let dates = rows.iter().map(|r| format_ts(r.ts, &req.freq)).collect();
    let mut result = req.result(first.computed_at, rows.iter().map(|r| r.ts).collect(), dates, outputs);
    result.bars_rev = Some(first.bars_rev);
    Some(result)
}
