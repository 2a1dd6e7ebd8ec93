//! `/api/market`: bars (`kline`) and latest quotes. Bars come from the store, with a
//! weak `ETag` from the series' revision so that a client holding the current bars gets
//! 304 without a read; quotes go through [`crate::quotes`].

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{check_freq, check_symbol, range, ApiJson, ApiQuery};
use super::indicators::json_with_etag;
use super::state::AppState;
use crate::store::time::format_ts;
use crate::store::Quote;

/// The routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/market/kline/{symbol}", get(kline)).route("/api/market/quote/{symbol}", get(quote))
}

/// The write routes of this resource (behind the token check when one is configured).
pub fn write_router() -> Router<AppState> {
    Router::new().route("/api/market/quotes", post(ingest))
}

/// Query of `kline`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KlineQuery {
    /// Bar frequency (default `1d`).
    #[param(pattern = r"^[1-9][0-9]{0,3}(s|m|h|d|w|mo)$")]
    pub freq: Option<String>,
    /// First bar (inclusive): `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or RFC 3339.
    pub start: Option<String>,
    /// Last bar (inclusive), in the same forms.
    pub end: Option<String>,
    /// Only the latest N bars of the range, 1 to 1,000,000.
    #[param(pattern = r"^[1-9][0-9]{0,5}$|^1000000$")]
    pub limit: Option<String>,
}

/// One bar.
#[derive(Debug, Serialize, ToSchema)]
pub struct KlineBar {
    /// The bar's date (daily and longer) or time (`YYYY-MM-DD HH:MM:SS`, UTC).
    pub date: String,
    /// Open.
    pub open: f64,
    /// High.
    pub high: f64,
    /// Low.
    pub low: f64,
    /// Close.
    pub close: f64,
    /// Volume.
    pub volume: f64,
}

/// A symbol's bars.
#[derive(Debug, Serialize, ToSchema)]
pub struct Kline {
    /// Symbol.
    pub symbol: String,
    /// Frequency.
    pub freq: String,
    /// The bars, oldest first.
    pub bars: Vec<KlineBar>,
}

/// A symbol's bars at one frequency, oldest first.
#[utoipa::path(get, path = "/api/market/kline/{symbol}", tag = "market",
    params(("symbol" = String, Path, description = "Symbol code", pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$"), KlineQuery,
        ("If-None-Match" = Option<String>, Header, description = "ETag of a copy the client holds")),
    responses(
        (status = 200, description = "The bars", body = Kline,
            headers(("ETag" = String, description = "Weak validator of the bars"))),
        (status = 304, description = "The client's copy is current"),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 404, description = "Unknown symbol", body = ErrorBody),
        (status = 422, description = "Invalid frequency or range", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ))]
pub async fn kline(
    State(state): State<AppState>,
    Path(symbol): Path<String>,
    ApiQuery(q): ApiQuery<KlineQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    check_symbol(&symbol)?;
    let freq = q.freq.unwrap_or_else(|| "1d".to_string());
    check_freq(&freq)?;
    let range = range(q.start.as_deref(), q.end.as_deref(), q.limit.as_deref())?;
    let series = state.rt.store.series_state(&symbol, &freq).await?;
    if !series.symbol_known {
        return Err(ApiError::NotFound(format!("unknown symbol `{symbol}`")));
    }
    // The bars of one revision never change: the revision and the query name the answer.
    let etag = format!(
        "W/\"k{}-{}-{}-{}\"",
        series.rev.unwrap_or(0),
        range.start.map_or(String::new(), |s| s.to_string()),
        range.end.map_or(String::new(), |e| e.to_string()),
        range.limit.map_or(String::new(), |l| l.to_string())
    );
    let bars = match series.rev {
        Some(_) => state.rt.store.read_bars(&symbol, &freq, &range).await?,
        None => Vec::new(),
    };
    let body = Kline {
        bars: bars
            .iter()
            .map(|b| KlineBar {
                date: format_ts(b.ts, &freq),
                open: b.open,
                high: b.high,
                low: b.low,
                close: b.close,
                volume: b.volume,
            })
            .collect(),
        symbol,
        freq,
    };
    let bytes = serde_json::to_vec(&body).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(json_with_etag(&headers, &etag, bytes.into()))
}

/// A quote as served.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteResponse {
    /// Symbol.
    pub symbol: String,
    /// Last price.
    pub price: f64,
    /// Volume.
    pub volume: f64,
    /// Quote time, RFC 3339 UTC.
    pub ts: String,
    /// Which tier answered: `l1`, `l2` (Redis) or `l3` (the store).
    pub source: &'static str,
}

/// A symbol's latest quote (in-process cache, then Redis, then the store).
#[utoipa::path(get, path = "/api/market/quote/{symbol}", tag = "market",
    params(("symbol" = String, Path, description = "Symbol code", pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$")),
    responses(
        (status = 200, description = "The latest quote", body = QuoteResponse),
        (status = 404, description = "Unknown symbol, or no quote yet", body = ErrorBody),
        (status = 422, description = "Malformed symbol", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ))]
pub async fn quote(State(state): State<AppState>, Path(symbol): Path<String>) -> ApiResult<Response> {
    check_symbol(&symbol)?;
    let Some((q, source)) = state.quotes.latest(&symbol).await? else {
        return Err(match state.rt.store.symbol(&symbol).await? {
            None => ApiError::NotFound(format!("unknown symbol `{symbol}`")),
            Some(_) => ApiError::NotFound(format!("no quote for `{symbol}` yet")),
        });
    };
    let body = QuoteResponse {
        symbol: q.symbol.clone(),
        price: q.price,
        volume: q.volume,
        ts: crate::quotes::quote_time(q.ts),
        source: source.as_str(),
    };
    Ok(([(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))], Json(body)).into_response())
}

/// A quote to ingest.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteIn {
    /// Symbol (must be in the store).
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$")]
    pub symbol: String,
    /// Last price, above 0.
    #[schema(exclusive_minimum = 0.0)]
    pub price: f64,
    /// Volume, 0 or more.
    #[schema(minimum = 0.0)]
    pub volume: f64,
    /// Quote time: RFC 3339, or epoch seconds (a number).
    pub ts: QuoteTime,
}

/// A quote's time as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum QuoteTime {
    /// Epoch seconds (fractions allowed).
    Epoch(f64),
    /// RFC 3339.
    #[schema(format = DateTime)]
    Text(String),
}

/// A batch of quotes, 1 to 10,000 (documentation of the body).
pub struct QuoteBatch;

impl utoipa::PartialSchema for QuoteBatch {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(utoipa::openapi::Ref::from_schema_name("QuoteIn"))
            .min_items(Some(1))
            .max_items(Some(MAX_QUOTES))
            .into()
    }
}

impl ToSchema for QuoteBatch {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        schemas.push(("QuoteIn".into(), <QuoteIn as utoipa::PartialSchema>::schema()));
        <QuoteIn as ToSchema>::schemas(schemas);
    }
}

/// What an ingest did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ingested {
    /// Quotes received.
    pub received: usize,
    /// Quotes stored (the others were not newer than the stored quote of their symbol).
    pub stored: usize,
}

/// Most quotes in one batch.
const MAX_QUOTES: usize = 10_000;

fn quote_ts(i: usize, ts: &QuoteTime) -> ApiResult<i64> {
    let bad = || ApiError::Invalid(format!("[{i}].ts must be an RFC 3339 time or epoch seconds"));
    let ms = match ts {
        QuoteTime::Text(s) => chrono::DateTime::parse_from_rfc3339(s).map_err(|_| bad())?.timestamp_millis() as f64,
        QuoteTime::Epoch(seconds) => seconds * 1000.0,
    };
    // From 1970 to 9999, whole milliseconds.
    if !(0.0..=253_402_300_799_000.0).contains(&ms) {
        return Err(bad());
    }
    Ok(ms.round() as i64)
}

/// Ingests a batch of quotes: stored (the latest per symbol), cached (Redis, 5 s; L1),
/// and published as `price.update` on `events:market` and `events:market:{symbol}`.
#[utoipa::path(post, path = "/api/market/quotes", tag = "market",
    request_body = QuoteBatch,
    responses(
        (status = 200, description = "Stored", body = Ingested),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "A bearer token is required (JWT_SECRET is set)", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid quote", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ),
    security((), ("bearer" = [])))]
pub async fn ingest(State(state): State<AppState>, ApiJson(batch): ApiJson<Vec<QuoteIn>>) -> ApiResult<Json<Ingested>> {
    if batch.is_empty() || batch.len() > MAX_QUOTES {
        return Err(ApiError::Invalid(format!("send 1 to {MAX_QUOTES} quotes")));
    }
    let mut quotes = Vec::with_capacity(batch.len());
    for (i, q) in batch.iter().enumerate() {
        check_symbol(&q.symbol).map_err(|e| match e {
            ApiError::Invalid(m) => ApiError::Invalid(format!("[{i}].symbol: {m}")),
            other => other,
        })?;
        if !(q.price.is_finite() && q.price > 0.0) {
            return Err(ApiError::Invalid(format!("[{i}].price must be a number above 0")));
        }
        if !(q.volume.is_finite() && q.volume >= 0.0) {
            return Err(ApiError::Invalid(format!("[{i}].volume must be a number, 0 or more")));
        }
        quotes.push(Quote { symbol: q.symbol.clone(), price: q.price, volume: q.volume, ts: quote_ts(i, &q.ts)? });
    }
    let wanted: Vec<String> = quotes.iter().map(|q| q.symbol.clone()).collect::<HashSet<_>>().into_iter().collect();
    let known = state.rt.store.known_symbols(&wanted).await?;
    if let Some(unknown) = quotes.iter().find(|q| !known.contains(&q.symbol)) {
        return Err(ApiError::Invalid(format!("unknown symbol `{}`", unknown.symbol)));
    }
    let received = quotes.len();
    let stored = state.quotes.ingest(quotes).await?;
    Ok(Json(Ingested { received, stored }))
}
