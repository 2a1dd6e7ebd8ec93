//! `/api/indicators`: the catalog, one indicator, and a set for one symbol. Reads go
//! through the SmartScheduler (Check-Lock-Check-Compute) and the tiered cache; `start`,
//! `end` and `limit` slice the cached full-series result without recomputing it. An L1
//! hit is answered with the bytes encoded when the result was first served, with a weak
//! `ETag`; `If-None-Match` gives 304.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use indicators::RawParam;
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{check_freq, check_symbol, range, ApiJson, QueryPairs};
use super::state::AppState;
use crate::cache::{IndicatorRequest, Source};
use crate::catalog::CatalogEntry;
use crate::store::BarRange;

/// The routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/indicators/catalog", get(catalog))
        .route("/api/indicators/{symbol}/{code}", get(one))
        .route("/api/indicators/{symbol}", post(set))
}

/// The catalog document.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Catalog {
    /// Every indicator, with its inputs, parameters (type, default, range) and outputs.
    pub indicators: Vec<CatalogEntry>,
}

/// Every indicator the engine computes.
#[utoipa::path(get, path = "/api/indicators/catalog", tag = "indicators",
    responses((status = 200, description = "The catalog", body = Catalog)))]
pub async fn catalog() -> impl IntoResponse {
    axum::Json(Catalog { indicators: crate::catalog::entries() })
}

/// An indicator result as served (SPEC section 6).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct IndicatorResponse {
    /// Symbol.
    symbol: String,
    /// Indicator code.
    code: String,
    /// Every parameter, defaults filled in.
    #[schema(value_type = Object)]
    params: HashMap<String, serde_json::Value>,
    /// First 8 hex digits of the MD5 of the canonical parameters (interoperable with
    /// the Python clients).
    params_hash: String,
    /// Bar frequency.
    freq: String,
    /// Bars before the first value.
    lookback: usize,
    /// When it was computed (RFC 3339 UTC); null when another system wrote it.
    computed_at: Option<String>,
    /// The revision of the bars it was computed from.
    bars_rev: Option<i64>,
    /// Bar dates.
    dates: Vec<String>,
    /// Output series by name; null inside the lookback.
    outputs: HashMap<String, Vec<Option<f64>>>,
    /// Which tier answered.
    #[schema(pattern = "^(l1|l2|l3|computed)$")]
    source: String,
}

/// Query of one indicator: the indicator's parameters by name (e.g. `timeperiod=14`),
/// and the reserved `freq`, `start`, `end`, `limit`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct IndicatorQuery {
    /// Bar frequency (default `1d`).
    #[param(pattern = r"^[1-9][0-9]{0,3}(s|m|h|d|w|mo)$")]
    freq: Option<String>,
    /// First bar (inclusive): `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or RFC 3339.
    start: Option<String>,
    /// Last bar (inclusive), in the same forms.
    end: Option<String>,
    /// Only the latest N bars (of the range), 1 to 1,000,000.
    #[param(pattern = r"^[1-9][0-9]{0,5}$|^1000000$")]
    limit: Option<String>,
    /// The indicator's parameters by name, e.g. `timeperiod=14` (see the catalog); an
    /// unknown name is a 422 that names it.
    #[param(style = Form, explode, value_type = Option<HashMap<String, String>>)]
    params: Option<HashMap<String, String>>,
}

/// What one GET asks for, from its path and query.
struct Ask {
    req: IndicatorRequest,
    range: BarRange,
}

fn ask(symbol: &str, code: &str, query: Vec<(String, String)>) -> ApiResult<Ask> {
    check_symbol(symbol)?;
    let (mut freq, mut start, mut end, mut limit) = (None, None, None, None);
    let mut given: Vec<(String, RawParam)> = Vec::new();
    for (name, value) in query {
        let slot = match name.as_str() {
            "freq" => &mut freq,
            "start" => &mut start,
            "end" => &mut end,
            "limit" => &mut limit,
            _ => {
                given.push((name, RawParam::Text(value)));
                continue;
            }
        };
        if slot.replace(value).is_some() {
            return Err(ApiError::Invalid(format!("`{name}` is given more than once")));
        }
    }
    let freq = freq.unwrap_or_else(|| "1d".to_string());
    check_freq(&freq)?;
    let spec = indicators::find(code)?;
    let params = spec.resolve(&given)?;
    let req = IndicatorRequest::from_resolved(symbol, spec, params, &freq)?;
    Ok(Ask { req, range: range(start.as_deref(), end.as_deref(), limit.as_deref())? })
}

/// True when `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for GET).
fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let want = bare(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == want)
}

/// A JSON body with its validator, or 304 when the client has it.
pub fn json_with_etag(headers: &HeaderMap, etag: &str, body: Bytes) -> Response {
    let tag = HeaderValue::from_str(etag).unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""));
    if not_modified(headers, etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json")), (header::ETAG, tag)], body).into_response()
}

/// One indicator of one symbol: the full series, or the slice `start`/`end`/`limit` asks for.
#[utoipa::path(get, path = "/api/indicators/{symbol}/{code}", tag = "indicators",
    params(
        ("symbol" = String, Path, description = "Symbol code, e.g. 000001", pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$"),
        ("code" = String, Path, description = "Indicator code, e.g. MACD (any case)", pattern = r"^[A-Za-z][A-Za-z0-9_]{0,31}$"),
        IndicatorQuery,
        ("If-None-Match" = Option<String>, Header, description = "ETag of a copy the client holds"),
    ),
    responses(
        (status = 200, description = "The result", body = IndicatorResponse,
            headers(("ETag" = String, description = "Weak validator of the value"))),
        (status = 304, description = "The client's copy is current"),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 404, description = "Unknown symbol or indicator", body = ErrorBody),
        (status = 422, description = "Invalid parameter, frequency or range", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ))]
pub async fn one(
    State(state): State<AppState>,
    Path((symbol, code)): Path<(String, String)>,
    QueryPairs(query): QueryPairs,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Ask { req, range } = ask(&symbol, &code, query)?;
    let (value, source) = state.rt.scheduler.get(&req).await?;
    if range == BarRange::default() {
        let encoded = value.encoded();
        let etag = encoded.etag.clone();
        return Ok(json_with_etag(&headers, &etag, value.body(source)));
    }
    let part = value.slice(&range);
    let etag = part.encoded().etag.clone();
    Ok(json_with_etag(&headers, &etag, part.body(source)))
}

/// One indicator of a set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetMember {
    /// Indicator code, e.g. `MACD`.
    #[schema(pattern = r"^[A-Za-z][A-Za-z0-9_]{0,31}$")]
    pub code: String,
    /// Its parameters by name (numbers, or numbers as text); defaults fill the rest.
    #[serde(default)]
    pub params: HashMap<String, ParamIn>,
}

/// A parameter's value as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ParamIn {
    /// A whole number.
    Int(i64),
    /// A number.
    Real(f64),
    /// A number as text.
    Text(String),
}

/// A set of indicators for one symbol.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRequest {
    /// The indicators, 1 to 50.
    #[schema(min_items = 1, max_items = 50)]
    pub indicators: Vec<SetMember>,
    /// Bar frequency (default `1d`).
    #[serde(default)]
    #[schema(pattern = r"^[1-9][0-9]{0,3}(s|m|h|d|w|mo)$")]
    pub freq: Option<String>,
}

impl super::extract::BodyShape for SetRequest {
    const OPENS_WITH: u8 = b'{';
}

/// The answer to a set.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct SetResponse {
    /// Symbol.
    symbol: String,
    /// Bar frequency.
    freq: String,
    /// One result per requested indicator, in order.
    results: Vec<IndicatorResponse>,
}

/// Most indicators in one set.
const MAX_SET: usize = 50;

fn raw(v: &ParamIn) -> RawParam {
    match v {
        ParamIn::Int(i) => RawParam::Int(*i),
        ParamIn::Real(r) => RawParam::Real(*r),
        ParamIn::Text(s) => RawParam::Text(s.clone()),
    }
}

/// A set of indicators for one symbol, computed together (each once across instances).
#[utoipa::path(post, path = "/api/indicators/{symbol}", tag = "indicators",
    params(("symbol" = String, Path, description = "Symbol code", pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$")),
    request_body = SetRequest,
    responses(
        (status = 200, description = "The results, in order", body = SetResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 404, description = "Unknown symbol or indicator", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid indicator set", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ))]
pub async fn set(
    State(state): State<AppState>,
    Path(symbol): Path<String>,
    ApiJson(body): ApiJson<SetRequest>,
) -> ApiResult<Response> {
    check_symbol(&symbol)?;
    let freq = body.freq.unwrap_or_else(|| "1d".to_string());
    check_freq(&freq)?;
    if body.indicators.is_empty() || body.indicators.len() > MAX_SET {
        return Err(ApiError::Invalid(format!("`indicators` must hold 1 to {MAX_SET} entries")));
    }
    let mut requests = Vec::with_capacity(body.indicators.len());
    for (i, member) in body.indicators.iter().enumerate() {
        let given: Vec<(String, RawParam)> = member.params.iter().map(|(k, v)| (k.clone(), raw(v))).collect();
        let req = IndicatorRequest::new(&symbol, &member.code, &given, &freq).map_err(|e| match ApiError::from(e) {
            ApiError::Invalid(m) => ApiError::Invalid(format!("indicators[{i}]: {m}")),
            ApiError::NotFound(m) => ApiError::NotFound(format!("indicators[{i}]: {m}")),
            other => other,
        })?;
        requests.push(req);
    }
    let mut out = Vec::with_capacity(64 + requests.len() * 8 * 1024);
    out.extend_from_slice(br#"{"symbol":"#);
    out.extend_from_slice(serde_json::to_string(&symbol).unwrap_or_default().as_bytes());
    out.extend_from_slice(br#","freq":"#);
    out.extend_from_slice(serde_json::to_string(&freq).unwrap_or_default().as_bytes());
    out.extend_from_slice(br#","results":["#);
    for (i, result) in state.rt.scheduler.get_set(&requests, true).await.into_iter().enumerate() {
        let (value, source): (_, Source) = result?;
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&value.body(source));
    }
    out.extend_from_slice(b"]}");
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], out).into_response())
}
