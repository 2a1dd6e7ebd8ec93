//! The lock service and Check-Lock-Check-Compute with real Redis servers and real
//! `mystocks` processes: computations happen once across processes, locks belong to
//! their owner, expire when their holder dies, and stale holders cannot write.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{link, RedisServer};
use mystocks::cache::l2::{FencedWrite, L2};
use mystocks::cache::tiered::CacheOptions;
use mystocks::cache::{compute_result, IndicatorRequest, LoadContext, TieredCache};
use mystocks::lock::local::LocalLocks;
use mystocks::lock::redis::RedisLocks;
use mystocks::lock::{LockBackend, LockService};
use mystocks::store::{self, BarRange};

fn services(redis: &RedisServer) -> Vec<LockService> {
    let backends: Vec<Arc<dyn LockBackend>> =
        vec![Arc::new(LocalLocks::new()), Arc::new(RedisLocks::new(link(&redis.url())))];
    backends.into_iter().map(|b| LockService::new(b, "mystocks:lock:", Duration::from_secs(30))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_owner_releases_and_fences_grow() {
    let redis = RedisServer::start();
    for locks in services(&redis) {
        let name = locks.backend_name();
        let a = locks.acquire("calc:A:MACD:x", Duration::from_secs(5), Duration::ZERO).await.unwrap().unwrap();
        assert!(
            locks.acquire("calc:A:MACD:x", Duration::from_secs(5), Duration::ZERO).await.unwrap().is_none(),
            "{name}"
        );
        let info = locks.lock_info("calc:A:MACD:x").await.unwrap().unwrap();
        assert_eq!(info.token, a.token(), "{name}");
        assert!(info.remaining <= Duration::from_secs(5) && info.remaining > Duration::from_secs(3), "{name}");
        let mut fences = vec![a.fence()];
        assert!(a.release().await.unwrap(), "{name}: the owner releases");
        assert!(!locks.is_locked("calc:A:MACD:x").await.unwrap());
        for _ in 0..4 {
            let g = locks.acquire("calc:A:MACD:x", Duration::from_secs(5), Duration::ZERO).await.unwrap().unwrap();
            fences.push(g.fence());
            g.release().await.unwrap();
        }
        assert!(fences.windows(2).all(|w| w[1] > w[0]), "{name}: fencing tokens only grow: {fences:?}");
        // A lock nobody releases frees itself after its TTL; a stale guard cannot release
        // the new holder's lock.
        let old = locks.acquire("r", Duration::from_millis(100), Duration::ZERO).await.unwrap().unwrap();
        let new =
            locks.acquire("r", Duration::from_secs(5), Duration::from_secs(2)).await.unwrap().expect("free after TTL");
        assert!(!old.release().await.unwrap(), "{name}: only the owner releases");
        assert!(locks.is_locked("r").await.unwrap(), "{name}: the new holder keeps it");
        new.release().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watchdog_keeps_a_one_second_lock_through_five_seconds_of_work() {
    let redis = RedisServer::start();
    let locks = services(&redis).pop().unwrap();
    let mut guard = locks.acquire("batch:daily", Duration::from_secs(1), Duration::ZERO).await.unwrap().unwrap();
    guard.start_watchdog();
    tokio::time::sleep(Duration::from_secs(5)).await; // the "work"
    let info = locks.lock_info("batch:daily").await.unwrap().expect("still held");
    assert_eq!(info.token, guard.token());
    assert!(locks.acquire("batch:daily", Duration::from_secs(1), Duration::ZERO).await.unwrap().is_none());
    assert!(guard.release().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_holders_lock_frees_after_its_ttl() {
    let redis = RedisServer::start();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mystocks"))
        .args(["debug", "hold-lock", "calc:K:MACD:x", "--ttl-ms", "1000"])
        .env("REDIS_URL", redis.url())
        .env("DATABASE_URL", format!("sqlite://{}/h.db", tempfile::tempdir().unwrap().keep().display()))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("held "), "{line}");
    let locks = services(&redis).pop().unwrap();
    assert!(locks.is_locked("calc:K:MACD:x").await.unwrap());
    child.kill().unwrap(); // SIGKILL: no release, the watchdog dies with it
    child.wait().unwrap();
    let t = Instant::now();
    let g = locks.acquire("calc:K:MACD:x", Duration::from_secs(5), Duration::from_secs(5)).await.unwrap();
    assert!(g.is_some(), "free after the TTL");
    assert!(t.elapsed() <= Duration::from_millis(1500), "within about one TTL: {:?}", t.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_holder_cannot_overwrite_a_newer_result() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = store::open(&format!("sqlite://{}/s.db", dir.path().display())).await.unwrap();
    let m = mystocks::demo::generate(2, 100, 2);
    store.import_bars(&m.symbols, &m.bars).await.unwrap();
    let l = link(&redis.url());
    let opts = CacheOptions {
        prefix: "mystocks:".into(),
        pubsub_prefix: "mystocks:".into(),
        l1_ttl: Duration::from_secs(60),
        l1_max_entries: 100,
        l2_ttl: Duration::from_secs(60),
        change_poll: None,
    };
    let cache = TieredCache::new(opts, store.clone(), store.clone(), Some(L2::new(l.clone())), false).await;
    let locks = LockService::new(Arc::new(RedisLocks::new(l)), "mystocks:lock:", Duration::from_secs(30));
    let r = IndicatorRequest::new::<&str>(&m.symbols[0].code, "RSI", &[], "1d").unwrap();
    let bars = store.read_bars(&r.symbol, "1d", &BarRange::default()).await.unwrap();
    let old_value = compute_result(&r, &bars).unwrap();
    let mut new_value = old_value.clone();
    new_value.computed_at = Some("2099-01-01T00:00:00Z".into());
    let ctx = LoadContext { remote_generation: Some(0), bars_rev: 1, l2_held_dates: None };
    let stale = locks.acquire("calc:x", Duration::from_millis(100), Duration::ZERO).await.unwrap().unwrap();
    let fresh = locks.acquire("calc:x", Duration::from_secs(5), Duration::from_secs(2)).await.unwrap().unwrap();
    assert!(fresh.fence() > stale.fence());
    assert_eq!(cache.write_fenced(&r, &new_value, ctx, fresh.fence()).await, Some(FencedWrite::Written));
    assert_eq!(cache.write_fenced(&r, &old_value, ctx, stale.fence()).await, Some(FencedWrite::StaleFence));
    let (_, stored) = cache.l2_lookup(&r).await.unwrap();
    assert_eq!(stored.unwrap().computed_at.as_deref(), Some("2099-01-01T00:00:00Z"), "the newer result stays");
}

fn market_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_mystocks"))
        .args(["demo-data", "--symbols", "20", "--days", "250"])
        .current_dir(dir.path())
        .env("DATABASE_URL", "sqlite://m.db")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

fn clcc_process(dir: &tempfile::TempDir, redis_url: &str, keys: usize, requests: usize) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_mystocks"))
        .args(["bench", "clcc", "--keys", &keys.to_string(), "--requests", &requests.to_string(), "--json"])
        .current_dir(dir.path())
        .env("DATABASE_URL", "sqlite://m.db")
        .env("REDIS_URL", redis_url)
        .env("REDIS_SOCKET_TIMEOUT", "1")
        .env("REDIS_SOCKET_CONNECT_TIMEOUT", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn report(child: std::process::Child) -> serde_json::Value {
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn three_processes_compute_each_key_exactly_once() {
    let redis = RedisServer::start();
    let dir = market_dir();
    let children: Vec<_> = (0..3).map(|_| clcc_process(&dir, &redis.url(), 20, 100)).collect();
    let reports: Vec<_> = children.into_iter().map(report).collect();
    let total: u64 = reports.iter().map(|r| r["computations"].as_u64().unwrap()).sum();
    for r in &reports {
        assert_eq!((r["ok"].as_u64(), r["errors"].as_u64(), r["wrong"].as_u64()), (Some(100), Some(0), Some(0)), "{r}");
        assert_eq!(r["scheduler"]["fallbacks"], 0, "{r}");
    }
    assert_eq!(total, 20, "300 requests for 20 cold keys: 20 computations in all");
}

#[test]
fn thirty_indicator_processes_report_computed_exactly_once() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let sample = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/us_daily_2000_2013.csv.gz");
    let o = Command::new(env!("CARGO_BIN_EXE_mystocks"))
        .args(["import", sample.to_str().unwrap()])
        .current_dir(dir.path())
        .env("DATABASE_URL", "sqlite://m.db")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let children: Vec<_> = (0..30)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_mystocks"))
                .args(["indicator", "AAPL", "MACD", "--format", "json"])
                .current_dir(dir.path())
                .env("DATABASE_URL", "sqlite://m.db")
                .env("REDIS_URL", redis.url())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut sources = Vec::new();
    for child in children {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        sources.push(doc["source"].as_str().unwrap().to_string());
    }
    assert_eq!(sources.iter().filter(|s| *s == "computed").count(), 1, "{sources:?}");
}

#[test]
fn redis_killed_during_the_run_every_request_still_answers_right() {
    let mut redis = RedisServer::start();
    let dir = market_dir();
    let mut children: Vec<_> = (0..3).map(|_| clcc_process(&dir, &redis.url(), 20, 400)).collect();
    // Kill Redis once the first process has started sending requests.
    let mut stderr = BufReader::new(children[0].stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "started");
    redis.kill();
    for child in children {
        let r = report(child);
        assert_eq!((r["errors"].as_u64(), r["wrong"].as_u64()), (Some(0), Some(0)), "{r}");
        assert_eq!(r["ok"], 400, "{r}");
        // Degradation is bounded: a request waits at most a few Redis timeouts (1 s
        // each here), never a queue of them (that bug once made requests wait 20 s).
        assert!(r["max_ms"].as_f64().unwrap() < 10_000.0, "a request waited too long: {r}");
    }
}
