//! The HTTP app called without a socket (`app(state).oneshot(request)`), on the embedded
//! store: the L1 hit answers the same bytes as the computation, validators and slices
//! reuse the cached result, and bad requests get JSON errors. Over TCP, with real
//! clients, Redis and PostgreSQL: tests/interop/test_http_*.py.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use mystocks::config::Config;
use mystocks::runtime::Runtime;
use mystocks::server::{app, AppState};
use serde_json::Value;
use tower::ServiceExt;

/// The app over a SQLite store holding a small demo market, without Redis.
async fn embedded(dir: &std::path::Path) -> (axum::Router, Vec<String>) {
    let url = format!("sqlite://{}/t.db", dir.display());
    let config = Config::from_lookup(|k| (k == "DATABASE_URL").then(|| url.clone())).unwrap();
    let rt = Runtime::start(config).await.unwrap();
    let m = mystocks::demo::generate(3, 250, 1);
    rt.store.import_bars(&m.symbols, &m.bars).await.unwrap();
    let codes = m.symbols.iter().map(|s| s.code.clone()).collect();
    (app(AppState::new(rt)), codes)
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, bytes::Bytes) {
    let response = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, axum::body::to_bytes(body, usize::MAX).await.unwrap())
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, bytes::Bytes) {
    call(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap()
}

async fn computations(app: &axum::Router) -> u64 {
    json(&get(app, "/api/cache/stats").await.2)["computations"].as_u64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_l1_hit_answers_the_computed_bytes_and_slices_reuse_the_cached_result() {
    let dir = tempfile::tempdir().unwrap();
    let (app, codes) = embedded(dir.path()).await;
    let uri = format!("/api/indicators/{}/RSI?timeperiod=14", codes[0]);

    let (status, headers, first) = get(&app, &uri).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&first)["source"], "computed");
    assert_eq!(json(&first)["dates"].as_array().unwrap().len(), 250);
    let etag = headers[header::ETAG].to_str().unwrap().to_string();
    assert!(etag.starts_with("W/\""), "{etag}");

    let (status, _, second) = get(&app, &uri).await;
    assert_eq!(status, StatusCode::OK);
    let mut a = json(&first);
    let mut b = json(&second);
    assert_eq!(b["source"], "l1");
    a["source"] = Value::Null;
    b["source"] = Value::Null;
    assert_eq!(a, b, "the L1 body is the computed one");

    let done = computations(&app).await;
    let conditional = Request::get(&uri).header(header::IF_NONE_MATCH, &etag).body(Body::empty()).unwrap();
    let (status, _, body) = call(&app, conditional).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());

    let (status, _, sliced) = get(&app, &format!("{uri}&limit=5")).await;
    assert_eq!(status, StatusCode::OK);
    let sliced = json(&sliced);
    assert_eq!(sliced["dates"].as_array().unwrap()[..], a["dates"].as_array().unwrap()[245..]);
    assert_eq!(sliced["outputs"]["real"].as_array().unwrap()[..], a["outputs"]["real"].as_array().unwrap()[245..]);
    assert_eq!(computations(&app).await, done, "a slice and a 304 compute nothing");

    let gzip = Request::get(&uri).header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
    let (status, headers, _) = call(&app, gzip).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_json_errors_with_the_right_status() {
    let dir = tempfile::tempdir().unwrap();
    let (app, codes) = embedded(dir.path()).await;
    let sym = &codes[0];
    let cases: Vec<(Request<Body>, StatusCode, &str, Option<&str>)> = vec![
        (
            Request::get(format!("/api/indicators/{sym}/RSI?timeperiodd=14")).body(Body::empty()).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some("timeperiodd"),
        ),
        (
            Request::get(format!("/api/indicators/{sym}/RSI?timeperiod=0")).body(Body::empty()).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some("timeperiod"),
        ),
        (
            Request::get(format!("/api/indicators/{sym}/NOPE")).body(Body::empty()).unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
            Some("NOPE"),
        ),
        (
            Request::get("/api/indicators/999999/RSI").body(Body::empty()).unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
            Some("999999"),
        ),
        (
            Request::get("/api/indicators/bad%20sym/RSI").body(Body::empty()).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            None,
        ),
        (Request::get("/api/nowhere").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND, "not_found", None),
        (
            Request::put("/api/health").body(Body::empty()).unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            None,
        ),
        (
            Request::post(format!("/api/indicators/{sym}"))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            None,
        ),
        (
            Request::post(format!("/api/indicators/{sym}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"indicators":[{"code":"SMA"}],"extra":1}"#))
                .unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some("extra"),
        ),
        (
            Request::post(format!("/api/indicators/{sym}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "bad_request",
            None,
        ),
        (
            Request::get("/api/stocks?limit=0").body(Body::empty()).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Some("limit"),
        ),
        (
            Request::get("/api/jobs/no.such").body(Body::empty()).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            None,
        ),
    ];
    for (req, want, code, names) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let (status, headers, body) = call(&app, req).await;
        assert_eq!(status, want, "{what}: {}", String::from_utf8_lossy(&body));
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{what}");
        let error = &json(&body)["error"];
        assert_eq!(error["code"], code, "{what}");
        if let Some(name) = names {
            assert!(error["message"].as_str().unwrap().contains(name), "{what}: {error}");
        }
    }
    // And it keeps serving.
    assert_eq!(get(&app, "/api/health").await.0, StatusCode::OK);
}
