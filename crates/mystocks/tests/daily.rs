//! The daily job (embedded: SQLite store, in-process bus): exactly the events SPEC
//! section 4 lists, values that equal a direct computation, and `--resume`.

mod common;

use std::collections::HashMap;

use mystocks::bus::channels::Channel;
use mystocks::bus::local::LocalBus;
use mystocks::bus::Bus;
use mystocks::cache::{compute_result, IndicatorRequest};
use mystocks::config::Config;
use mystocks::jobs::daily::{run_daily, DailyOptions};
use mystocks::jobs::progress::progress_events;
use mystocks::runtime::Runtime;
use mystocks::store::BarRange;

async fn runtime(dir: &tempfile::TempDir, symbols: usize) -> Runtime {
    let url = format!("sqlite://{}/d.db", dir.path().display());
    let config = Config::from_lookup(|k| (k == "DATABASE_URL").then(|| url.clone())).unwrap();
    let rt = Runtime::start(config).await.unwrap();
    let m = mystocks::demo::generate(symbols, 300, 8);
    rt.store.import_bars(&m.symbols, &m.bars).await.unwrap();
    rt
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exact_events_for_1_49_50_51_symbols() {
    for n in [1usize, 49, 50, 51] {
        let dir = tempfile::tempdir().unwrap();
        let rt = runtime(&dir, n).await;
        let bus = LocalBus::new();
        let mut rx = bus.subscribe();
        let report = run_daily(&rt, &bus, DailyOptions::default(), &mut |_| {}).await.unwrap();
        assert_eq!((report.total, report.processed, report.failed), (n as u64, n as u64, 0));
        let mut counts: HashMap<(String, &'static str), u64> = HashMap::new();
        let mut events = Vec::new();
        while let Ok(d) = rx.try_recv() {
            *counts.entry((d.channel.to_string(), d.event.event_type())).or_default() += 1;
            events.push(d);
        }
        let task = format!("events:task:{}", report.task_id);
        for channel in ["events:tasks".to_string(), task.clone()] {
            assert_eq!(counts[&(channel.clone(), "task.progress")], progress_events(n as u64), "{n}: {channel}");
            assert_eq!(counts[&(channel.clone(), "task.completed")], 1, "{n}: {channel}");
        }
        assert_eq!(counts[&("events:indicators".to_string(), "stock.indicators.completed")], n as u64, "{n}");
        assert_eq!(counts.len(), 5, "{n}: nothing else: {counts:?}");
        assert_eq!(report.events as usize, events.len());

        let json = |i: usize| serde_json::to_value(&events[i].event).unwrap();
        let first = json(0);
        assert_eq!(first["event_type"], "task.progress");
        assert_eq!(
            (first["status"].as_str(), first["processed"].as_u64(), first["total"].as_u64()),
            (Some("running"), Some(0), Some(n as u64))
        );
        assert_eq!(first["version"], "1.0");
        let last = serde_json::to_value(&events.last().unwrap().event).unwrap();
        assert_eq!(last["event_type"], "task.completed");
        assert_eq!(last["result"], serde_json::json!({"success": n, "failed": 0}));
        let per_symbol = events.iter().find(|d| d.channel == Channel::Indicators).unwrap();
        let v = serde_json::to_value(&per_symbol.event).unwrap();
        assert_eq!(
            v["indicators"],
            serde_json::json!(["SMA", "SMA", "SMA", "SMA", "MACD", "RSI", "BBANDS", "ATR", "KDJ"])
        );
        assert_eq!((v["success_count"].as_u64(), v["failed_count"].as_u64()), (Some(9), Some(0)));
        let job = rt.store.job(&report.task_id).await.unwrap().unwrap();
        assert_eq!((job.status.as_str(), job.processed, job.progress), ("completed", n as i64, 100.0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_values_equal_a_direct_computation_and_resume_skips_done_symbols() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime(&dir, 12).await;
    let bus = LocalBus::new();
    let report = run_daily(&rt, &bus, DailyOptions::default(), &mut |_| {}).await.unwrap();
    let symbol = rt.store.list_symbols(1, 0).await.unwrap().remove(0).code;
    let bars = rt.store.read_bars(&symbol, "1d", &BarRange { limit: Some(250), ..Default::default() }).await.unwrap();
    let req = IndicatorRequest::new::<&str>(&symbol, "MACD", &[], "1d").unwrap();
    let direct = compute_result(&req, &bars).unwrap();
    let latest =
        rt.store.latest_indicator_values("MACD", &req.params_hash, "1d", std::slice::from_ref(&symbol)).await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].ts, bars.last().unwrap().ts, "the latest bar's values are in L3");
    assert_eq!(latest[0].values[0], *direct.outputs["macd"].last().unwrap(), "bit for bit");

    let mut rx = bus.subscribe();
    let again =
        run_daily(&rt, &bus, DailyOptions { resume: Some(report.task_id.clone()), ..Default::default() }, &mut |_| {})
            .await
            .unwrap();
    assert_eq!((again.skipped, again.processed), (12, 12), "everything was already done");
    let mut per_symbol = 0;
    while let Ok(d) = rx.try_recv() {
        if d.channel == Channel::Indicators {
            per_symbol += 1;
        }
    }
    assert_eq!(per_symbol, 0, "no symbol recomputed on resume");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_the_task_hash_and_the_events_go_through_redis() {
    let redis = common::RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/r.db", dir.path().display());
    let redis_url = redis.url();
    let config = Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "REDIS_URL" => Some(redis_url.clone()),
        _ => None,
    })
    .unwrap();
    let rt = Runtime::start(config).await.unwrap();
    let m = mystocks::demo::generate(7, 260, 3);
    rt.store.import_bars(&m.symbols, &m.bars).await.unwrap();
    let bus = mystocks::jobs::daily::bus_for(&rt);
    assert_eq!(bus.backend(), "redis");
    let report = run_daily(&rt, bus.as_ref(), DailyOptions::default(), &mut |_| {}).await.unwrap();
    let mut conn = redis.conn();
    let key = format!("mystocks:task:{}", report.task_id);
    let hash: HashMap<String, String> = redis::cmd("HGETALL").arg(&key).query(&mut conn).unwrap();
    assert_eq!(hash["status"], "completed");
    assert_eq!((hash["processed"].as_str(), hash["total"].as_str(), hash["failed"].as_str()), ("7", "7", "0"));
    assert_eq!(hash["progress"], "100.00");
    assert!(!hash["started_at"].is_empty() && !hash["finished_at"].is_empty());
    let ttl: i64 = redis::cmd("TTL").arg(&key).query(&mut conn).unwrap();
    assert!((7 * 86_400 - 60..=7 * 86_400).contains(&ttl), "kept 7 days: {ttl}");
    let stream: usize =
        redis::cmd("XLEN").arg(format!("mystocks:events:task:{}", report.task_id)).query(&mut conn).unwrap();
    assert_eq!(stream as u64, progress_events(7) + 1, "every task event is in the task's stream");
    let completed: usize = redis::cmd("XLEN").arg("mystocks:events:indicators").query(&mut conn).unwrap();
    assert_eq!(completed, 7);
}
