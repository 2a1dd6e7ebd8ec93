//! The daily job (embedded: SQLite store, in-process bus): exactly the events SPEC
//! section 4 lists, values that equal a direct computation, and `--resume`.

mod common;

use std::collections::HashMap;

use mystocks::bus::channels::Channel;
use mystocks::bus::local::LocalBus;
use mystocks::bus::Bus;
use mystocks::cache::{compute_result, IndicatorRequest};
use mystocks::config::Config;
use mystocks::jobs::daily::{run_daily, DailyOptions, BARS};
use mystocks::jobs::progress::progress_events;
use mystocks::jobs::stop::Stop;
use mystocks::runtime::Runtime;
use mystocks::store::BarRange;

async fn runtime(dir: &tempfile::TempDir, symbols: usize) -> Runtime {
    runtime_with(dir, symbols, 300).await
}

async fn runtime_with(dir: &tempfile::TempDir, symbols: usize, days: usize) -> Runtime {
    let url = format!("sqlite://{}/d.db", dir.path().display());
    let config = Config::from_lookup(|k| (k == "DATABASE_URL").then(|| url.clone())).unwrap();
    let rt = Runtime::start(config).await.unwrap();
    let m = mystocks::demo::generate(symbols, days, 8);
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
        let report = run_daily(&rt, &bus, DailyOptions::default(), &Stop::new(), &mut |_| {}).await.unwrap();
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
    let report = run_daily(&rt, &bus, DailyOptions::default(), &Stop::new(), &mut |_| {}).await.unwrap();
    let symbol = rt.store.list_symbols(1, 0).await.unwrap().remove(0).code;
    let bars = rt.store.read_bars(&symbol, "1d", &BarRange { limit: Some(250), ..Default::default() }).await.unwrap();
    let req = IndicatorRequest::new::<&str>(&symbol, "MACD", &[], "1d").unwrap();
    let direct = compute_result(&req, &bars).unwrap();
    let latest = rt
        .store
        .latest_indicator_values("MACD", &req.params_hash, "1d", BARS as u32, std::slice::from_ref(&symbol))
        .await
        .unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].ts, bars.last().unwrap().ts, "the latest bar's values are in L3");
    assert_eq!(latest[0].values[0], *direct.outputs["macd"].last().unwrap(), "bit for bit");

    let mut rx = bus.subscribe();
    let again = run_daily(
        &rt,
        &bus,
        DailyOptions { resume: Some(report.task_id.clone()), ..Default::default() },
        &Stop::new(),
        &mut |_| {},
    )
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
    let report = run_daily(&rt, bus.as_ref(), DailyOptions::default(), &Stop::new(), &mut |_| {}).await.unwrap();
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
    assert_eq!(report.events, 2 * (progress_events(7) + 1) + 7, "every event counted in the report");

    // While another process holds the task, a resume is refused, naming the lock.
    let resource = mystocks::lock::LockService::batch_resource(&report.task_id);
    let other = rt.locks.acquire(&resource, std::time::Duration::from_secs(30), std::time::Duration::ZERO).await;
    let other = other.unwrap().expect("the finished task's lock is free");
    let opts = DailyOptions { resume: Some(report.task_id.clone()), ..Default::default() };
    let refused = run_daily(&rt, bus.as_ref(), opts, &Stop::new(), &mut |_| {}).await.unwrap_err().to_string();
    assert!(refused.contains("being run by another process") && refused.contains("mystocks:lock:batch:"), "{refused}");
    assert!(other.release().await.unwrap());

    // Resuming a finished task finds nothing to do and completes again at once.
    let opts = DailyOptions { resume: Some(report.task_id.clone()), ..Default::default() };
    let again = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        run_daily(&rt, bus.as_ref(), opts, &Stop::new(), &mut |_| {}),
    )
    .await
    .expect("a resumed finished task ends")
    .unwrap();
    assert_eq!((again.skipped, again.processed, again.total), (7, 7, 7));
    let hash: HashMap<String, String> = redis::cmd("HGETALL").arg(&key).query(&mut conn).unwrap();
    assert_eq!(hash["status"], "completed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exact_events_for_5000_symbols() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime_with(&dir, 5_000, 70).await;
    let bus = LocalBus::new();
    let report = run_daily(&rt, &bus, DailyOptions::default(), &Stop::new(), &mut |_| {}).await.unwrap();
    assert_eq!((report.total, report.processed, report.failed), (5_000, 5_000, 0));
    // Every event is in its channel's replay buffer (up to 10,000 per channel), in order:
    // counted after the job, with no race against the live channel.
    let task = Channel::parse(&format!("events:task:{}", report.task_id)).unwrap();
    for channel in [Channel::Tasks, task.clone()] {
        let events = bus.replay(&channel, "0-0").await.unwrap();
        let types: Vec<&str> = events.iter().map(|d| d.event.event_type()).collect();
        assert_eq!(types.len(), 102, "{channel}: start + every 50 symbols + completion");
        assert!(types[..101].iter().all(|t| *t == "task.progress"), "{channel}");
        assert_eq!(types[101], "task.completed", "{channel}");
        let processed: Vec<u64> = events[..101]
            .iter()
            .map(|d| match &d.event.body {
                mystocks::bus::events::EventBody::TaskProgress(p) => p.processed,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(processed, (0..=100).map(|k| k * 50).collect::<Vec<u64>>(), "{channel}: at 0, 50, ..., 5000");
    }
    let per_symbol = bus.replay(&Channel::Indicators, "0-0").await.unwrap();
    let symbols: std::collections::HashSet<String> = per_symbol
        .iter()
        .map(|d| match &d.event.body {
            mystocks::bus::events::EventBody::StockIndicatorsCompleted(c) => c.stock_code.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!((per_symbol.len(), symbols.len()), (5_000, 5_000), "one event per symbol");
    assert_eq!(report.events, 5_000 + 2 * 101 + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_of_a_date_the_values_are_those_of_that_day() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime(&dir, 3).await;
    let symbol = rt.store.list_symbols(1, 0).await.unwrap().remove(0).code;
    let all = rt.store.read_bars(&symbol, "1d", &BarRange::default()).await.unwrap();
    let day = all[all.len() - 20].ts;
    let day_text = chrono::DateTime::from_timestamp(day, 0).unwrap().format("%Y-%m-%d").to_string();
    let until = mystocks::cli::daily::parse_day_end(&day_text).unwrap();
    let opts = DailyOptions { until: Some(until), ..Default::default() };
    let report = run_daily(&rt, &LocalBus::new(), opts, &Stop::new(), &mut |_| {}).await.unwrap();
    assert_eq!(report.processed, 3);
    let upto: Vec<_> = all.iter().filter(|b| b.ts <= day).cloned().collect();
    let req = IndicatorRequest::new::<&str>(&symbol, "RSI", &[], "1d").unwrap();
    let direct = compute_result(&req, &upto[upto.len() - 250..]).unwrap();
    let latest = rt
        .store
        .latest_indicator_values("RSI", &req.params_hash, "1d", BARS as u32, std::slice::from_ref(&symbol))
        .await
        .unwrap();
    assert_eq!(latest[0].ts, day, "values as of the day, not the latest bar");
    assert_eq!(latest[0].values[0], *direct.outputs["real"].last().unwrap());
    assert!(mystocks::cli::daily::parse_day_end("2026-02-30").is_err());
}

#[test]
fn resume_after_the_process_was_killed_finishes_the_task() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/k.db", dir.path().display());
    let bin = env!("CARGO_BIN_EXE_mystocks");
    let demo =
        Command::new(bin).args(["demo-data", "--symbols", "3000", "--days", "70"]).env("DATABASE_URL", &db).output();
    assert!(demo.unwrap().status.success());
    let mut child = Command::new(bin)
        .arg("daily")
        .env("DATABASE_URL", &db)
        .env_remove("REDIS_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Off a terminal, one line per progress event: `task ID: P% processed/total ...`.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let task = loop {
        let line = lines.next().expect("a progress line").unwrap();
        if !line.contains('%') {
            continue; // the start line, naming the task and how to resume it
        }
        let (head, rest) = line.split_once(": ").unwrap();
        let processed: u64 = rest.split_whitespace().nth(1).unwrap().split('/').next().unwrap().parse().unwrap();
        if processed >= 500 {
            break head.trim_start_matches("task ").to_string();
        }
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let out = Command::new(bin).args(["daily", "--json", "--resume", &task]).env("DATABASE_URL", &db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["task_id"], task.as_str());
    assert_eq!((report["processed"].as_u64(), report["total"].as_u64()), (Some(3000), Some(3000)));
    let skipped = report["skipped"].as_u64().unwrap();
    assert!((500..3000).contains(&skipped), "the killed run's work is kept: {skipped} skipped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_symbol_is_counted_and_never_stops_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime(&dir, 4).await;
    let mut symbols: Vec<String> = rt.store.list_symbols(10, 0).await.unwrap().into_iter().map(|s| s.code).collect();
    symbols.insert(1, "999999".into()); // no bars: every indicator fails
    let bus = LocalBus::new();
    let mut rx = bus.subscribe();
    let opts = DailyOptions { symbols: Some(symbols), ..Default::default() };
    let report = run_daily(&rt, &bus, opts, &Stop::new(), &mut |_| {}).await.unwrap();
    assert_eq!((report.total, report.processed, report.failed), (5, 5, 1));
    let mut failed_event = None;
    let mut completed = None;
    while let Ok(d) = rx.try_recv() {
        let v = serde_json::to_value(&d.event).unwrap();
        if v["stock_code"] == "999999" {
            failed_event = Some(v.clone());
        }
        if v["event_type"] == "task.completed" {
            completed = Some(v);
        }
    }
    let failed_event = failed_event.expect("the failing symbol is announced");
    assert_eq!((failed_event["success_count"].as_u64(), failed_event["failed_count"].as_u64()), (Some(0), Some(9)));
    assert_eq!(completed.unwrap()["result"], serde_json::json!({"success": 4, "failed": 1}));
    let job = rt.store.job(&report.task_id).await.unwrap().unwrap();
    assert_eq!((job.status.as_str(), job.failed), ("completed", 1));
}
