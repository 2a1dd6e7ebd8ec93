//! The cache tells the truth: whichever tier answers, and whichever command ran before,
//! a request without a range gets the same answer as a fresh computation over every bar
//! stored now. Run through the real binary as a user runs it, embedded and with a real
//! Redis (a private `redis-server` per test), and through two in-process instances
//! sharing one store and one Redis.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::{json_of, link, mystocks, stderr, stdout, RedisServer};
use mystocks::cache::l2::L2;
use mystocks::cache::tiered::CacheOptions;
use mystocks::cache::{compute_result, IndicatorRequest, Source, TieredCache};
use mystocks::store::{self, BarRange, Store, FULL_SERIES};
use serde_json::Value;

/// A fresh computation of `code` (default parameters but `params`) over every bar of
/// `symbol` stored at `db` now.
async fn fresh(db: &str, symbol: &str, code: &str, params: &[(&str, &str)]) -> (Vec<String>, Value) {
    let store = store::open(db).await.unwrap();
    let given: Vec<(&str, indicators::RawParam)> =
        params.iter().map(|(k, v)| (*k, indicators::RawParam::from(*v))).collect();
    let req = IndicatorRequest::new(symbol, code, &given, "1d").unwrap();
    let bars = store.read_bars(symbol, "1d", &BarRange::default()).await.unwrap();
    let r = compute_result(&req, &bars).unwrap();
    (r.dates, serde_json::to_value(&r.outputs).unwrap())
}

/// `mystocks indicator` as JSON.
fn indicator(dir: &Path, db: &str, env: &[(&str, &str)], args: &[&str]) -> Value {
    let mut all = vec!["indicator"];
    all.extend_from_slice(args);
    json_of(dir, db, env, &all)
}

fn assert_fresh(got: &Value, want: &(Vec<String>, Value), what: &str) {
    let dates: Vec<String> = serde_json::from_value(got["dates"].clone()).unwrap();
    assert_eq!(dates.len(), want.0.len(), "{what}: every stored bar (source {})", got["source"]);
    assert_eq!(dates, want.0, "{what}: dates");
    assert_eq!(got["outputs"], want.1, "{what}: values equal a fresh computation (source {})", got["source"]);
}

fn sqlite(dir: &Path) -> String {
    format!("sqlite://{}/m.db", dir.display())
}

/// Writes a CSV of bars for `import`: `rows` of (date, close); high/low around close.
fn bars_csv(dir: &Path, name: &str, symbol: &str, rows: &[(&str, f64)]) -> String {
    let mut text = String::from("symbol,date,open,high,low,close,volume\n");
    for (date, close) in rows {
        text.push_str(&format!("{symbol},{date},{close},{},{},{close},1000\n", close + 0.5, close - 0.5));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

async fn a_cached_answer_follows_the_bars(env: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path());
    let d = dir.path();
    assert!(mystocks(d, &db, env, &["demo-data", "--symbols", "3", "--days", "100"]).status.success());
    let args = ["000001", "SMA", "--param", "timeperiod=5"];
    let first = indicator(d, &db, env, &args);
    assert_eq!(first["source"], "computed");
    let second = indicator(d, &db, env, &args);
    assert_ne!(second["source"], "computed", "the second read is a cache hit");
    assert_fresh(&second, &fresh(&db, "000001", "SMA", &[("timeperiod", "5")]).await, "hit");

    // New bars for the same dates (another seed): every tier must let them through.
    assert!(mystocks(d, &db, env, &["demo-data", "--symbols", "3", "--days", "100", "--seed", "2"]).status.success());
    let after = indicator(d, &db, env, &args);
    assert_fresh(&after, &fresh(&db, "000001", "SMA", &[("timeperiod", "5")]).await, "after demo-data --seed 2");
    assert_ne!(after["outputs"], first["outputs"], "the bars did change");

    // A corrected bar and a new one, imported from a file.
    let dates: Vec<String> = serde_json::from_value(after["dates"].clone()).unwrap();
    let last = dates.last().unwrap().clone();
    let csv = bars_csv(d, "fix.csv", "000001", &[(&last, 77.0), ("2030-01-02", 80.0)]);
    let o = mystocks(d, &db, env, &["import", &csv]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fixed = indicator(d, &db, env, &args);
    let want = fresh(&db, "000001", "SMA", &[("timeperiod", "5")]).await;
    assert_fresh(&fixed, &want, "after import");
    assert_eq!(fixed["dates"].as_array().unwrap().last().unwrap(), "2030-01-02", "the new bar appears");
    // And the hit after that is the same answer.
    assert_fresh(&indicator(d, &db, env, &args), &want, "hit after import");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_a_cached_answer_follows_the_bars() {
    a_cached_answer_follows_the_bars(&[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_a_cached_answer_follows_the_bars() {
    let redis = RedisServer::start();
    a_cached_answer_follows_the_bars(&[("REDIS_URL", &redis.url())]).await;
}

async fn one_full_series_whatever_ran_first(env: &[(&str, &str)], days: &str, with_redis: Option<&RedisServer>) {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path());
    let d = dir.path();
    assert!(mystocks(d, &db, env, &["demo-data", "--symbols", "4", "--days", days]).status.success());
    let o = mystocks(d, &db, env, &["daily"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for code in ["RSI", "MACD", "KDJ"] {
        let got = indicator(d, &db, env, &["000001", code]);
        let spec = indicators::find(code).unwrap();
        assert_eq!(got["lookback"], spec.lookback(&spec.default_params()), "{code}");
        assert_fresh(&got, &fresh(&db, "000001", code, &[]).await, &format!("{code} after daily ({days} days)"));
    }
    let o = mystocks(d, &db, env, &["daily", "--date", "2023-06-30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = indicator(d, &db, env, &["300001", "RSI"]);
    assert_fresh(&got, &fresh(&db, "300001", "RSI", &[]).await, "after daily --date");
    if let Some(redis) = with_redis {
        // What L2 holds under the shared key is the full series too.
        let text: String = redis::cmd("GET").arg("mystocks:ind:300001:RSI:5b300e9e").query(&mut redis.conn()).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let all = fresh(&db, "300001", "RSI", &[]).await.0.len();
        assert_eq!(v["dates"].as_array().unwrap().len(), all, "the shared key holds every bar");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_after_daily_a_request_gets_every_bar() {
    one_full_series_whatever_ran_first(&[], "300", None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_after_daily_a_request_gets_every_bar_not_the_jobs_window() {
    let redis = RedisServer::start();
    one_full_series_whatever_ran_first(&[("REDIS_URL", &redis.url())], "300", Some(&redis)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn where_the_jobs_window_is_every_bar_its_l2_value_answers() {
    let redis = RedisServer::start();
    let env = [("REDIS_URL", redis.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dir = tempfile::tempdir().unwrap();
    let (d, db) = (dir.path(), sqlite(dir.path()));
    assert!(mystocks(d, &db, &env, &["demo-data", "--symbols", "4", "--days", "250"]).status.success());
    assert!(mystocks(d, &db, &env, &["daily"]).status.success());
    let got = indicator(d, &db, &env, &["600000", "MACD"]);
    assert_eq!(got["source"], "l2", "the job's result is the full series here, and is used");
    assert_fresh(&got, &fresh(&db, "600000", "MACD", &[]).await, "daily's L2 value");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_result_is_not_cached() {
    let redis = RedisServer::start();
    let env = [("REDIS_URL", redis.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dir = tempfile::tempdir().unwrap();
    let (d, db) = (dir.path(), sqlite(dir.path()));
    assert!(mystocks(d, &db, &env, &["demo-data", "--symbols", "2", "--days", "50"]).status.success());
    for _ in 0..2 {
        let got = indicator(d, &db, &env, &["000001", "SMA", "--freq", "15m"]);
        assert_eq!(got["source"], "computed", "nothing cached to answer from");
        assert_eq!(got["dates"], serde_json::json!([]));
        assert_eq!(got["outputs"]["real"], serde_json::json!([]));
    }
    let keys: Vec<String> = redis::cmd("KEYS").arg("mystocks:ind:*").query(&mut redis.conn()).unwrap();
    assert!(keys.is_empty(), "no L2 value: {keys:?}");
    let store = store::open(&db).await.unwrap();
    let req = IndicatorRequest::new::<&str>("000001", "SMA", &[], "15m").unwrap();
    let all = BarRange::default();
    let rows = store.read_indicator_values("000001", "SMA", &req.params_hash, "15m", FULL_SERIES, &all).await;
    assert!(rows.unwrap().is_empty(), "no L3 rows");
    // Once 15m bars exist, they are what is answered.
    let csv = dir.path().join("m15.csv");
    let mut text = String::from("symbol,date,open,high,low,close,volume\n");
    for i in 0..40 {
        text.push_str(&format!("000001,2024-01-02 {:02}:{:02},10,11,9,{}.5,100\n", 9 + i / 4, (i % 4) * 15, 9 + i % 2));
    }
    std::fs::write(&csv, text).unwrap();
    let o = mystocks(d, &db, &env, &["import", csv.to_str().unwrap(), "--freq", "15m"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = indicator(d, &db, &env, &["000001", "SMA", "--freq", "15m", "--param", "timeperiod=2"]);
    assert_eq!(got["dates"].as_array().unwrap().len(), 40);
}

fn options() -> CacheOptions {
    CacheOptions {
        prefix: "mystocks:".into(),
        pubsub_prefix: "mystocks:".into(),
        l1_ttl: Duration::from_secs(300),
        l1_max_entries: 1000,
        l2_ttl: Duration::from_secs(3600),
        change_poll: Some(Duration::from_millis(50)),
    }
}

/// An instance: a cache on the shared store, with Redis at `url` as L2.
async fn instance(store: &Arc<dyn Store>, url: &str) -> TieredCache {
    TieredCache::new(options(), store.clone(), store.clone(), Some(L2::new(link(url))), true).await
}

async fn read(cache: &TieredCache, store: &Arc<dyn Store>, req: &IndicatorRequest) -> (Source, Vec<Option<f64>>) {
    let (store, r) = (store.clone(), req.clone());
    let (v, s) = cache
        .get_or_load(req, move || async move {
            let bars = store.read_bars(&r.symbol, &r.freq, &BarRange::default()).await?;
            compute_result(&r, &bars)
        })
        .await
        .unwrap();
    (s, v.outputs["real"].clone())
}

/// Instance B holds a result in L1 (and L2 holds it too) when instance A writes new bars.
/// With Redis reachable, A's message empties B's L1; with Redis unreachable for A, B
/// learns it from the store's change feed, and refuses the stale L2 value by its revision.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_of_bars_reaches_every_instance_with_or_without_redis() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path());
    let store = store::open(&db).await.unwrap();
    let m = mystocks::demo::generate(3, 120, 1);
    store.import_bars(&m.symbols, &m.bars).await.unwrap();
    let req = IndicatorRequest::new::<&str>("000001", "SMA", &[], "1d").unwrap();
    let want = |store: Arc<dyn Store>| async move {
        let bars = store.read_bars("000001", "1d", &BarRange::default()).await.unwrap();
        compute_result(&IndicatorRequest::new::<&str>("000001", "SMA", &[], "1d").unwrap(), &bars).unwrap().outputs
            ["real"]
            .clone()
    };

    let a = instance(&store, &redis.url()).await;
    let b = instance(&store, &redis.url()).await;
    b.wait_subscribed(1).await;
    assert_eq!(read(&b, &store, &req).await.0, Source::Computed);
    assert_eq!(read(&b, &store, &req).await.0, Source::L1);
    // A writes with Redis up: B's L1 is emptied by A's message.
    let mut told = b.remote_invalidations();
    let seed2 = mystocks::demo::generate(3, 120, 2);
    mystocks::ingest::write_bars(store.as_ref(), &a, &seed2.symbols, &seed2.bars, mystocks::ingest::WriteMode::Replace)
        .await
        .unwrap();
    // Told twice: before the write and after its commit.
    let mut times = 0;
    while times < 2 {
        times += usize::from(told.recv().await.unwrap() == "000001");
    }
    // B's change feed sees the same write and drops B's L1 entries for the symbol once
    // more; wait until it has polled after the write, so it cannot drop what B reads next.
    let polls = b.feed_polls();
    b.wait_feed_polls(polls + 2).await;
    let (source, values) = read(&b, &store, &req).await;
    assert_ne!(source, Source::L1);
    assert_eq!(values, want(store.clone()).await, "B answers from the new bars");
    b.flush().await;
    assert_eq!(read(&b, &store, &req).await.0, Source::L1, "and holds that");

    // A cannot reach Redis (its link points at a closed port); B can. L2 still holds the
    // old value when A writes.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        format!("redis://127.0.0.1:{port}/0")
    };
    let a_cut_off = instance(&store, &dead).await;
    let polls = b.feed_polls();
    let seed3 = mystocks::demo::generate(3, 120, 3);
    let written = mystocks::ingest::write_bars(
        store.as_ref(),
        &a_cut_off,
        &seed3.symbols,
        &seed3.bars,
        mystocks::ingest::WriteMode::Replace,
    )
    .await
    .unwrap();
    assert!(matches!(written.remote, mystocks::cache::RemoteInvalidation::Failed(_)), "{:?}", written.remote);
    let stale_in_l2: Option<String> =
        redis::cmd("GET").arg("mystocks:ind:000001:SMA:2b12b0e8").query(&mut redis.conn()).unwrap();
    assert!(stale_in_l2.is_some(), "the old value is still in L2");
    // Two polls later the feed has certainly run after the write.
    b.wait_feed_polls(polls + 2).await;
    let (source, values) = read(&b, &store, &req).await;
    assert_eq!(source, Source::Computed, "neither B's L1 nor the stale L2 value answers");
    assert_eq!(values, want(store.clone()).await);
    assert!(b.stats().l2_refused >= 1, "the stale L2 value was refused by its revision");
}

/// `bench clcc` checks every answer against a fresh computation and fails when one differs.
#[test]
fn bench_clcc_fails_when_an_answer_is_wrong() {
    let redis = RedisServer::start();
    let url = redis.url();
    let env = [("REDIS_URL", url.as_str())];
    let dir = tempfile::tempdir().unwrap();
    let (d, db) = (dir.path(), sqlite(dir.path()));
    assert!(mystocks(d, &db, &env, &["demo-data", "--symbols", "4", "--days", "300"]).status.success());
    assert!(mystocks(d, &db, &env, &["daily"]).status.success());
    let args = ["bench", "clcc", "--keys", "2", "--requests", "20", "--json"];
    let o = mystocks(d, &db, &env, &args);
    assert!(o.status.success(), "after daily every answer is right: {}{}", stdout(&o), stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["wrong"], 0);
    // Tamper with one cached value behind the engine's back (keeping its revision): the
    // cache cannot know, the benchmark must.
    let key = "mystocks:ind:000001:MACD:d7b32e6c";
    let text: String = redis::cmd("GET").arg(key).query(&mut redis.conn()).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["outputs"]["macd"][299] = serde_json::json!(123.0);
    let _: () = redis::cmd("SET").arg(key).arg(v.to_string()).arg("EX").arg(600).query(&mut redis.conn()).unwrap();
    let o = mystocks(d, &db, &env, &args);
    assert_eq!(o.status.code(), Some(1), "a run that saw a wrong answer fails");
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["wrong"], 10, "{report}");
    assert!(stderr(&o).contains("differed from a fresh computation"), "{}", stderr(&o));
}

/// Revisions never repeat across stores: a store rebuilt from scratch (or restored from
/// a backup) while Redis was out of reach must not give its series revisions that match
/// the values an earlier store left in Redis.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuilt_store_never_matches_what_redis_kept_from_the_old_one() {
    let redis = RedisServer::start();
    let url = redis.url();
    let with_redis = [("REDIS_URL", url.as_str())];
    let dir = tempfile::tempdir().unwrap();
    let (d, db) = (dir.path(), sqlite(dir.path()));
    assert!(mystocks(d, &db, &with_redis, &["demo-data", "--symbols", "2", "--days", "100"]).status.success());
    assert_eq!(indicator(d, &db, &with_redis, &["000001", "MACD"])["source"], "computed");
    assert_eq!(indicator(d, &db, &with_redis, &["000001", "MACD"])["source"], "l2");
    // The store is rebuilt, with other bars, by a process that does not use Redis.
    for f in std::fs::read_dir(d).unwrap().flatten() {
        if f.file_name().to_string_lossy().starts_with("m.db") {
            std::fs::remove_file(f.path()).unwrap();
        }
    }
    assert!(mystocks(d, &db, &[], &["demo-data", "--symbols", "2", "--days", "100", "--seed", "3"]).status.success());
    let got = indicator(d, &db, &with_redis, &["000001", "MACD"]);
    assert_eq!(got["source"], "computed", "the old store's value does not answer");
    assert_fresh(&got, &fresh(&db, "000001", "MACD", &[]).await, "after the rebuild");
}
