//! The one error type of the HTTP API and the only place where status codes are chosen.
//! Every error leaves as `{"error":{"code":"...","message":"..."}}` (SPEC section 6). A
//! server-side failure shows a generic message; its detail goes to the log.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::CacheError;
use crate::store::StoreError;

/// Why a request failed.
#[derive(Debug)]
pub enum ApiError {
    /// Malformed request: unparsable JSON, query or path (400).
    BadRequest(String),
    /// Missing, malformed, wrongly signed or expired credentials (401).
    Unauthorized(String),
    /// Unknown symbol, task, indicator or route (404).
    NotFound(String),
    /// The method is not served on this route (405).
    MethodNotAllowed,
    /// The body is larger than the route takes (413).
    PayloadTooLarge(String),
    /// The body is not JSON (415).
    UnsupportedMediaType(String),
    /// Well-formed, but a value is invalid (422).
    Invalid(String),
    /// The store (the source of truth) cannot be reached (503).
    Unavailable(String),
    /// Anything else: logged in full, answered with a generic message (500).
    Internal(String),
}

/// The error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code: `bad_request`, `unauthorized`, `not_found`,
    /// `method_not_allowed`, `payload_too_large`, `unsupported_media_type`, `invalid`,
    /// `unavailable`, `internal`.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
}

impl ApiError {
    /// Status and code of this error.
    pub fn status(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::UnsupportedMediaType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    fn message(self) -> String {
        match self {
            ApiError::BadRequest(m)
            | ApiError::Unauthorized(m)
            | ApiError::NotFound(m)
            | ApiError::PayloadTooLarge(m)
            | ApiError::UnsupportedMediaType(m)
            | ApiError::Invalid(m) => m,
            ApiError::MethodNotAllowed => "method not allowed on this route".into(),
            ApiError::Unavailable(detail) => {
                tracing::warn!("store unavailable: {detail}");
                "the store is unavailable; try again shortly".into()
            }
            ApiError::Internal(detail) => {
                tracing::error!("request failed: {detail}");
                "internal error".into()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status();
        let unauthorized = matches!(self, ApiError::Unauthorized(_));
        let too_large = matches!(self, ApiError::PayloadTooLarge(_));
        let body = ErrorBody { error: ErrorDetail { code, message: self.message() } };
        let mut response = (status, axum::Json(body)).into_response();
        if unauthorized {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if too_large {
            // The rest of the body is not read, so the connection cannot carry another
            // request: say so, or a keep-alive client sends its next request into a
            // connection the server is closing.
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        store_error(&e)
    }
}

fn store_error(e: &StoreError) -> ApiError {
    match e {
        StoreError::Unreachable(_) => ApiError::Unavailable(e.to_string()),
        StoreError::Database(db) if store_is_down(db) => ApiError::Unavailable(e.to_string()),
        _ => ApiError::Internal(e.to_string()),
    }
}

/// True when the database could not be reached at all (as opposed to a failed query).
fn store_is_down(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_))
}

fn cache_error(e: &CacheError) -> ApiError {
    match e {
        CacheError::UnknownSymbol(s) => ApiError::NotFound(format!("unknown symbol `{s}`")),
        CacheError::BadRequest(m) => ApiError::Invalid(m.clone()),
        CacheError::Indicator(indicators::IndicatorError::UnknownIndicator(code)) => {
            ApiError::NotFound(format!("unknown indicator `{code}` (GET /api/indicators/catalog lists them)"))
        }
        CacheError::Indicator(e) => ApiError::Invalid(e.to_string()),
        CacheError::Store(e) => store_error(e),
        CacheError::Load(m) => ApiError::Internal(m.clone()),
    }
}

impl From<CacheError> for ApiError {
    fn from(e: CacheError) -> Self {
        cache_error(&e)
    }
}

impl From<std::sync::Arc<CacheError>> for ApiError {
    fn from(e: std::sync::Arc<CacheError>) -> Self {
        cache_error(&e)
    }
}

impl From<indicators::IndicatorError> for ApiError {
    fn from(e: indicators::IndicatorError) -> Self {
        cache_error(&CacheError::Indicator(e))
    }
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
