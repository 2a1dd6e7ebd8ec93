//! The dashboard (`GET /`) and its assets (`GET /assets/{file}`): a page of plain HTML,
//! CSS and JavaScript over the HTTP API and the WebSocket gateway, with TradingView's
//! lightweight-charts vendored (`assets/vendor/`, updated by `scripts/vendor-charts`).
//! Every file is embedded in the binary: no CDN, no build step, no Node at build time.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use md5::{Digest, Md5};

use super::error::ApiError;
use super::AppState;

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const INDEX: Asset = Asset {
    name: "index.html",
    content_type: "text/html; charset=utf-8",
    body: include_str!("../../assets/dashboard/index.html"),
};

const ASSETS: [Asset; 3] = [
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/dashboard/app.js"),
    },
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../assets/dashboard/app.css"),
    },
    Asset {
        name: "lightweight-charts.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/vendor/lightweight-charts/lightweight-charts.standalone.production.js"),
    },
];

/// Each file's ETag, from its content: a browser revalidates and gets a 304 until the
/// binary changes.
static ETAGS: LazyLock<Vec<(&'static str, HeaderValue)>> = LazyLock::new(|| {
    std::iter::once(&INDEX)
        .chain(ASSETS.iter())
        .map(|a| {
            let digest = Md5::digest(a.body.as_bytes());
            let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            (a.name, HeaderValue::from_str(&format!("\"{hex}\"")).unwrap_or(HeaderValue::from_static("\"0\"")))
        })
        .collect()
});

/// `/` and `/assets/{file}`.
pub fn router() -> Router<AppState> {
    Router::new().route("/", get(index)).route("/assets/{file}", get(asset))
}

async fn index(headers: HeaderMap) -> Response {
    send(&INDEX, &headers)
}

async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    match ASSETS.iter().find(|a| a.name == file) {
        Some(a) => send(a, &headers),
        None => ApiError::NotFound(format!("no asset `{file}`")).into_response(),
    }
}

fn send(asset: &Asset, headers: &HeaderMap) -> Response {
    let etag = ETAGS.iter().find(|(n, _)| *n == asset.name).map(|(_, e)| e.clone());
    // `no-cache`: always revalidate (cheap, a 304), so a new binary's page is seen at once.
    let cache = HeaderValue::from_static("no-cache");
    if let (Some(tag), Some(seen)) = (&etag, headers.get(header::IF_NONE_MATCH)) {
        if matches_etag(seen, tag) {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag.clone()), (header::CACHE_CONTROL, cache)])
                .into_response();
        }
    }
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)), (header::CACHE_CONTROL, cache)],
        asset.body,
    )
        .into_response();
    let h = response.headers_mut();
    if let Some(tag) = etag {
        h.insert(header::ETAG, tag);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if asset.name == INDEX.name {
        // Only our own scripts; the chart library sets element styles, hence inline styles.
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                 connect-src 'self' ws: wss:; frame-ancestors 'none'",
            ),
        );
    }
    response
}

/// RFC 9110's weak comparison for `If-None-Match`: `*`, or any tag of the list equal to
/// ours with or without `W/`.
fn matches_etag(seen: &HeaderValue, ours: &HeaderValue) -> bool {
    let (Ok(seen), Ok(ours)) = (seen.to_str(), ours.to_str()) else { return false };
    seen.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == ours)
}
