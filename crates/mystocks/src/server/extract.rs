//! Extractors that report bad input our way: a JSON body must say it is JSON (415), fit
//! the limit (413), parse (400) and match the route's type, unknown fields included
//! (422); a query must match its type (422). Every rejection is an [`ApiError`].

use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Largest JSON body a route takes (a quote batch of 10,000 fits).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A JSON body, checked as above.
pub struct ApiJson<T>(pub T);

/// The JSON value a body type must be: serde also reads a struct from an array (its
/// fields in order), which the document does not allow.
pub trait BodyShape {
    /// `{` for an object, `[` for an array.
    const OPENS_WITH: u8;
}

impl<T> BodyShape for Vec<T> {
    const OPENS_WITH: u8 = b'[';
}

/// True for `application/json` and `application/*+json`, any parameters.
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let mime = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// Reads `bytes` as a `T`: malformed JSON is 400, JSON of another shape 422.
fn parse_body<T: DeserializeOwned + BodyShape>(bytes: &[u8]) -> Result<T, ApiError> {
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
    if first != Some(T::OPENS_WITH) {
        return Err(match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Ok(_) => ApiError::Invalid(format!(
                "the body must be a JSON {}",
                if T::OPENS_WITH == b'[' { "array" } else { "object" }
            )),
            Err(e) => ApiError::BadRequest(format!("the body is not valid JSON: {e}")),
        });
    }
    serde_json::from_slice::<T>(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::Invalid(e.to_string()),
        _ => ApiError::BadRequest(format!("the body is not valid JSON: {e}")),
    })
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<bytes::Bytes, ApiError> {
    bytes::Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(format!("the body is larger than {BODY_LIMIT} bytes"))
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })
}

fn not_json() -> ApiError {
    ApiError::UnsupportedMediaType("the body must be JSON, sent with `Content-Type: application/json`".into())
}

impl<T: DeserializeOwned + BodyShape, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(not_json());
        }
        Ok(ApiJson(parse_body(&body_bytes(req, state).await?)?))
    }
}

/// A JSON body that may also be left out (no body, or `null`, gives `T::default()`),
/// as clients of the replaced system post `/api/jobs/daily` without one.
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + BodyShape + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = is_json(req.headers());
        let bytes = body_bytes(req, state).await?;
        let text = std::str::from_utf8(&bytes).map(str::trim).unwrap_or("?");
        if text.is_empty() || (json && text == "null") {
            return Ok(OptionalJson(T::default()));
        }
        if !json {
            return Err(not_json());
        }
        Ok(OptionalJson(parse_body(&bytes)?))
    }
}

/// A query string of a typed shape (unknown names refused by the type).
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(ApiError::Invalid(e.body_text())),
            Err(other) => Err(ApiError::BadRequest(other.body_text())),
        }
    }
}

/// The query string as name/value pairs, in order (routes whose names are open, such
/// as an indicator's parameters).
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        Ok(QueryPairs(form_urlencoded::parse(query.as_bytes()).into_owned().collect()))
    }
}

/// A symbol from a path or body: the SPEC's pattern, or 422.
pub fn check_symbol(symbol: &str) -> Result<(), ApiError> {
    if crate::market::valid_symbol(symbol) {
        Ok(())
    } else {
        Err(ApiError::Invalid(format!(
            "bad symbol `{}` (1-16 of A-Z a-z 0-9 . _ -, starting with a letter or digit)",
            symbol.chars().take(40).collect::<String>()
        )))
    }
}

/// A bar frequency, or 422.
pub fn check_freq(freq: &str) -> Result<(), ApiError> {
    if crate::cache::keys::valid_freq(freq) {
        Ok(())
    } else {
        Err(ApiError::Invalid(format!(
            "bad freq `{}` (e.g. 1d, 15m, 1h, 1w, 1mo)",
            freq.chars().take(20).collect::<String>()
        )))
    }
}

/// Largest `limit` a range takes.
pub const MAX_LIMIT: usize = 1_000_000;

/// `start`, `end` (dates or times) and `limit` (the latest N) as a range, or 422.
pub fn range(start: Option<&str>, end: Option<&str>, limit: Option<&str>) -> Result<crate::store::BarRange, ApiError> {
    let time = |name: &str, text: Option<&str>| -> Result<Option<i64>, ApiError> {
        text.map(|t| {
            crate::store::time::parse_ts(t).ok_or_else(|| {
                ApiError::Invalid(format!(
                    "`{name}` = `{}` is not a date or time (YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], RFC 3339)",
                    t.chars().take(40).collect::<String>()
                ))
            })
        })
        .transpose()
    };
    let limit = limit
        .map(|l| match l.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(ApiError::Invalid(format!(
                "`limit` = `{}` must be a whole number from 1 to {MAX_LIMIT}",
                l.chars().take(40).collect::<String>()
            ))),
        })
        .transpose()?;
    let range = crate::store::BarRange { start: time("start", start)?, end: time("end", end)?, limit };
    range.check().map_err(|e| ApiError::Invalid(format!("`start`/`end`: {e}")))?;
    Ok(range)
}
