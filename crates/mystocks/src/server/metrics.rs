//! `GET /metrics`: Prometheus text format, from the `metrics` facade and its Prometheus
//! exporter. Requests are counted and timed as they pass (by route template, method and
//! status); the engine's own counters (cache tiers, computations, locks, breaker, jobs)
//! are read when the page is scraped, so the request path pays nothing for them.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::state::AppState;
use crate::jobs::background::JobObserver;
use crate::redis_link::BreakerState;

/// Request latency buckets, seconds: an L1 hit takes tens of microseconds, a cold
/// computation milliseconds, a waiter on another instance's computation up to seconds.
const LATENCY_BUCKETS: &[f64] =
    &[0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The process's metrics registry (the `metrics` recorder is process-wide: installed
/// once, shared by every server in the process).
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
}

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

impl Metrics {
    /// The process's registry, installing the recorder on first use. `None` if another
    /// recorder was installed first (the server then serves no request metrics).
    pub fn global() -> Option<Self> {
        let handle = HANDLE.get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full("mystocks_http_request_duration_seconds".into()), LATENCY_BUCKETS)
                .ok()?;
            let handle = builder.install_recorder().ok()?;
            describe();
            // Histograms are folded into their buckets by upkeep; run it in the background.
            let upkeep = handle.clone();
            std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || loop {
                    std::thread::sleep(Duration::from_secs(5));
                    upkeep.run_upkeep();
                })
                .ok()?;
            Some(handle)
        });
        handle.clone().map(|handle| Self { handle })
    }

    fn render(&self) -> String {
        self.handle.render()
    }
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!("mystocks_http_requests_total", "HTTP requests answered, by route template, method and status");
    describe_histogram!(
        "mystocks_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer an HTTP request, by route template, method and status"
    );
    describe_counter!("mystocks_cache_hits_total", "Reads answered by each cache tier");
    describe_counter!("mystocks_cache_misses_total", "Reads that went past each cache tier");
    describe_gauge!("mystocks_cache_l1_entries", "Entries in the in-process cache");
    describe_counter!("mystocks_cache_l2_refused_total", "Redis values refused as stale or narrower than asked");
    describe_counter!("mystocks_computations_total", "Indicator computations done by this process");
    describe_counter!("mystocks_lock_waits_total", "Waits for another instance's computation of the same key");
    describe_counter!("mystocks_lock_timeouts_total", "Waits that ended at the lock's TTL without an announcement");
    describe_counter!("mystocks_lock_fallbacks_total", "Computations done without the lock because it failed");
    describe_gauge!("mystocks_redis_breaker_open", "1 while the Redis circuit breaker is open (degraded mode)");
    describe_counter!("mystocks_redis_breaker_opened_total", "Times the Redis circuit breaker opened");
    describe_gauge!("mystocks_jobs_running", "Daily jobs this process is running");
    describe_counter!("mystocks_job_symbols_processed_total", "Symbols processed by this process's daily jobs");
    describe_counter!("mystocks_job_symbols_failed_total", "Symbols failed in this process's daily jobs");
    describe_counter!("mystocks_jobs_finished_total", "Daily jobs ended, by outcome");
    describe_gauge!("mystocks_ws_connections", "Open WebSocket connections");
    describe_counter!("mystocks_ws_messages_sent_total", "WebSocket messages sent");
    describe_counter!("mystocks_ws_messages_dropped_total", "WebSocket messages dropped (conflated or cut off)");
    describe_counter!(
        "mystocks_ws_slow_consumers_closed_total",
        "WebSocket clients cut as slow consumers (close 1008)"
    );
    describe_gauge!("mystocks_ws_messages_queued", "WebSocket messages waiting in the per-connection send queues");
}

/// Counts and times every request (the route template, never the raw path, as label).
pub async fn track(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let start = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let route = route.unwrap_or_else(|| "unmatched".into());
    let labels = [("route", route), ("method", method), ("status", status)];
    counter!("mystocks_http_requests_total", &labels).increment(1);
    histogram!("mystocks_http_request_duration_seconds", &labels).record(start.elapsed().as_secs_f64());
    response
}

/// The engine's counters as of now, then the page.
pub async fn page(State(state): State<AppState>) -> Response {
    let Some(metrics) = &state.metrics else {
        return (axum::http::StatusCode::OK, "# no metrics recorder in this process\n").into_response();
    };
    let cache = state.rt.cache.stats();
    for (tier, s) in [("l1", &cache.l1), ("l2", &cache.l2), ("l3", &cache.l3)] {
        counter!("mystocks_cache_hits_total", "tier" => tier).absolute(s.hits);
        counter!("mystocks_cache_misses_total", "tier" => tier).absolute(s.misses);
    }
    gauge!("mystocks_cache_l1_entries").set(cache.l1_entries as f64);
    counter!("mystocks_cache_l2_refused_total").absolute(cache.l2_refused);
    let sched = state.rt.scheduler.stats();
    counter!("mystocks_computations_total").absolute(sched.computations);
    counter!("mystocks_lock_waits_total").absolute(sched.lock_waits);
    counter!("mystocks_lock_timeouts_total").absolute(sched.lock_timeouts);
    counter!("mystocks_lock_fallbacks_total").absolute(sched.fallbacks);
    if let Some(link) = &state.rt.redis {
        let breaker = link.breaker();
        gauge!("mystocks_redis_breaker_open").set(f64::from(u8::from(breaker.state() != BreakerState::Closed)));
        counter!("mystocks_redis_breaker_opened_total").absolute(breaker.stats().opened);
    }
    gauge!("mystocks_jobs_running").set(state.jobs.running() as f64);
    // The WebSocket gateway's series, present from the start (zero until it serves).
    gauge!("mystocks_ws_connections").increment(0.0);
    counter!("mystocks_ws_messages_sent_total").increment(0);
    // Drops and cuts are counted by the hub; read at scrape time.
    let ws = state.ws.stats();
    let ws_count = |k: &str| ws.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
    counter!("mystocks_ws_messages_dropped_total").absolute(ws_count("messages_dropped"));
    counter!("mystocks_ws_slow_consumers_closed_total").absolute(ws_count("slow_consumers_closed"));
    gauge!("mystocks_ws_messages_queued").set(ws_count("messages_queued") as f64);
    let text = metrics.render();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}

/// Job progress into the metrics (counts of symbols as they are reported).
#[derive(Default)]
pub struct JobMetrics {
    last: std::sync::Mutex<std::collections::HashMap<String, (u64, u64)>>,
}

impl JobObserver for JobMetrics {
    fn progress(&self, task_id: &str, processed: u64, _total: u64, failed: u64) {
        let Ok(mut last) = self.last.lock() else { return };
        let seen = last.entry(task_id.to_string()).or_default();
        counter!("mystocks_job_symbols_processed_total").increment(processed.saturating_sub(seen.0));
        counter!("mystocks_job_symbols_failed_total").increment(failed.saturating_sub(seen.1));
        *seen = (seen.0.max(processed), seen.1.max(failed));
    }

    fn finished(&self, task_id: &str, outcome: &str) {
        if let Ok(mut last) = self.last.lock() {
            last.remove(task_id);
        }
        counter!("mystocks_jobs_finished_total", "outcome" => outcome.to_string()).increment(1);
    }
}

/// A job observer for the state.
pub fn job_observer() -> Arc<dyn JobObserver> {
    Arc::new(JobMetrics::default())
}
