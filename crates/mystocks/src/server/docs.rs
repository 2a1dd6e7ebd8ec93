//! The OpenAPI document, generated from the handlers' annotations (`utoipa`), at
//! `/openapi.json`, and an interactive page at `/docs` (Swagger UI, its files embedded
//! in the binary: it works offline).

use axum::Router;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use super::state::AppState;
use super::{cache, error, health, indicators, jobs, market, stocks};

/// The API's document.
#[derive(OpenApi)]
#[openapi(
    info(title = "MyStocks engine", description = "Technical indicators for a whole market, served through a tiered cache (SPEC section 6)."),
    paths(
        health::health,
        stocks::list,
        market::quote,
        market::ingest,
        market::kline,
        indicators::catalog,
        indicators::one,
        indicators::set,
        jobs::start,
        jobs::list,
        jobs::one,
        cache::stats,
        cache::invalidate,
    ),
    components(schemas(error::ErrorBody, error::ErrorDetail)),
    modifiers(&BearerAuth),
    tags(
        (name = "system", description = "Health"),
        (name = "market", description = "Symbols, bars and quotes"),
        (name = "indicators", description = "Indicators through the tiered cache"),
        (name = "jobs", description = "The daily job"),
        (name = "cache", description = "Cache counters and invalidation"),
    )
)]
pub struct ApiDoc;

/// The `bearer` security scheme of the write routes.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// `/openapi.json` and `/docs`.
pub fn router() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new("/docs").url("/openapi.json", ApiDoc::openapi()))
}
