//! `GET /api/stocks`: the symbols with name and exchange, by code, `limit` and `offset`;
//! `q` searches by code prefix or name.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::ApiQuery;
use super::state::AppState;
use crate::store::Symbol;

/// The routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/stocks", get(list))
}

/// Largest page.
const MAX_PAGE: usize = 10_000;

/// Paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// At most this many, 1 to 10,000 (default 100).
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<usize>,
    /// Skip this many first (default 0).
    #[param(minimum = 0, maximum = 1000000000)]
    pub offset: Option<usize>,
    /// Only symbols whose code starts with this or whose name contains it (ASCII case
    /// ignored), 1 to 64 characters, none a control character.
    #[param(min_length = 1, max_length = 64)]
    pub q: Option<String>,
}

/// One listed symbol.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stock {
    /// Code, e.g. `000001`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Exchange, e.g. `SZ`, `SH`, `US` (empty when unknown).
    pub exchange: String,
    /// Listing date (`YYYY-MM-DD`), when known.
    pub listed_on: Option<String>,
}

/// A page of symbols.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stocks {
    /// The symbols, by code.
    pub stocks: Vec<Stock>,
    /// The page's `limit`.
    pub limit: usize,
    /// The page's `offset`.
    pub offset: usize,
}

/// The symbols in the store, by code.
#[utoipa::path(get, path = "/api/stocks", tag = "market", params(Page),
    responses(
        (status = 200, description = "A page of symbols", body = Stocks),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 422, description = "Invalid paging", body = ErrorBody),
        (status = 503, description = "The store is unavailable", body = ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, ApiQuery(page): ApiQuery<Page>) -> ApiResult<Json<Stocks>> {
    let limit = page.limit.unwrap_or(100);
    let offset = page.offset.unwrap_or(0);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::Invalid(format!("`limit` must be from 1 to {MAX_PAGE}")));
    }
    if offset > 1_000_000_000 {
        return Err(ApiError::Invalid("`offset` must be from 0 to 1000000000".into()));
    }
    let symbols = match page.q.as_deref() {
        None => state.rt.store.list_symbols(limit, offset).await?,
        Some(q) if q.is_empty() || q.chars().count() > 64 || q.chars().any(char::is_control) => {
            return Err(ApiError::Invalid("`q` must be 1 to 64 characters, none a control character".into()))
        }
        Some(q) => state.rt.store.find_symbols(q, limit, offset).await?,
    };
    let stocks = symbols
        .into_iter()
        .map(|Symbol { code, name, exchange, listed_on }| Stock { code, name, exchange, listed_on })
        .collect();
    Ok(Json(Stocks { stocks, limit, offset }))
}
