//! The distributed daily job with a real redis-server per test and real `mystocks`
//! processes: a worker killed in the middle leaves its work to the others and every
//! symbol is counted and announced once; Redis killed during a 5,000-symbol job loses no
//! symbol and the events resume once it is back.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;

use common::{open_task_by_hand, RedisServer};
use mystocks::bus::events::EventBody;
use mystocks::bus::redis::RedisBus;
use mystocks::bus::Bus;
use mystocks::cache::IndicatorRequest;
use mystocks::config::Config;
use mystocks::jobs::daily::{bus_for, run_daily, DailyOptions, BARS};
use mystocks::jobs::progress::progress_events;
use mystocks::jobs::stop::Stop;
use mystocks::runtime::Runtime;
use mystocks::standard_set::standard_set;

struct Setup {
    rt: Arc<Runtime>,
    db_url: String,
    _dir: tempfile::TempDir,
}

async fn setup(redis: &RedisServer, symbols: usize, days: usize) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}/w.db", dir.path().display());
    let (url, redis_url) = (db_url.clone(), redis.url());
    let config = Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "REDIS_URL" => Some(redis_url.clone()),
        "REDIS_SOCKET_TIMEOUT" => Some("1".into()),
        _ => None,
    })
    .unwrap();
    let rt = Runtime::start(config).await.unwrap();
    let m = mystocks::demo::generate(symbols, days, 11);
    rt.store.import_bars(&m.symbols, &m.bars).await.unwrap();
    Setup { rt: Arc::new(rt), db_url, _dir: dir }
}

/// Every symbol's nine values are stored at its latest bar.
async fn assert_all_stored(rt: &Runtime, n: usize) {
    let symbols: Vec<String> = rt.store.list_symbols(n + 1, 0).await.unwrap().into_iter().map(|s| s.code).collect();
    assert_eq!(symbols.len(), n);
    let last = rt.store.read_latest_bars(&symbols, "1d", 1, i64::MAX).await.unwrap();
    for m in standard_set().unwrap() {
        let req = IndicatorRequest::from_resolved(&symbols[0], m.spec, m.params.clone(), "1d").unwrap();
        let rows =
            rt.store.latest_indicator_values(m.spec.code, &req.params_hash, "1d", BARS as u32, &symbols).await.unwrap();
        assert_eq!(rows.len(), n, "{}: one latest row per symbol", m.spec.code);
        for r in rows {
            assert_eq!(r.ts, last[&r.symbol][0].ts, "{} {} at the latest bar", r.symbol, m.spec.code);
        }
    }
}

fn xlen(redis: &RedisServer, key: &str) -> u64 {
    redis::cmd("XLEN").arg(key).query(&mut redis.conn()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_midway_leaves_its_work_to_the_others_and_every_symbol_counts_once() {
    let redis = RedisServer::start();
    let n = 2_000;
    let s = setup(&redis, n, 80).await;
    // The worker reads a batch and hangs on it, unacknowledged. (It hangs on its first
    // read: a worker asked to do one batch first could find the queue drained by the
    // coordinator before its second read on a loaded machine, and never stall.)
    let mut worker = Command::new(env!("CARGO_BIN_EXE_mystocks"))
        .args(["worker", "--stall-after-batches", "0", "--claim-idle-ms", "500"])
        .env("REDIS_URL", redis.url())
        .env("DATABASE_URL", &s.db_url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(worker.stdout.take().unwrap()).lines();
    assert!(lines.next().unwrap().unwrap().contains("ready"));

    let rt = s.rt.clone();
    let job = tokio::spawn(async move {
        let bus = bus_for(&rt);
        let opts = DailyOptions { claim_idle: Duration::from_millis(500), ..Default::default() };
        run_daily(&rt, bus.as_ref(), opts, &Stop::new(), &mut |_| {}).await
    });
    let stalled = tokio::time::timeout(
        Duration::from_secs(120),
        tokio::task::spawn_blocking(move || lines.next().and_then(|l| l.ok())),
    )
    .await;
    worker.kill().unwrap();
    let stalled = stalled.expect("the worker took work within 2 minutes").unwrap();
    assert_eq!(stalled.as_deref(), Some("stalled"), "the worker took work and hung on it");
    worker.wait().unwrap();

    let report = tokio::time::timeout(Duration::from_secs(120), job).await.expect("job ends").unwrap().unwrap();
    assert_eq!(report.mode, "distributed");
    assert_eq!((report.processed, report.total, report.failed), (n as u64, n as u64, 0));
    // The coordinator published the start and everything the dead worker left.
    assert!(report.events > 2 && report.events <= n as u64 + 2 * progress_events(n as u64) + 2, "{}", report.events);
    assert_all_stored(&s.rt, n).await;
    // Each symbol announced once, by whichever consumer counted it; the task's events
    // exactly as for one process; nothing left in the queue.
    assert_eq!(xlen(&redis, "mystocks:events:indicators"), n as u64);
    let task_stream = format!("mystocks:events:task:{}", report.task_id);
    assert_eq!(xlen(&redis, &task_stream), progress_events(n as u64) + 1);
    let entries: Vec<(String, Vec<(String, String)>)> =
        redis::cmd("XRANGE").arg(&task_stream).arg("-").arg("+").query(&mut redis.conn()).unwrap();
    let completed: Vec<_> = entries.iter().filter(|(_, f)| f[0].1.contains("\"task.completed\"")).collect();
    assert_eq!(completed.len(), 1, "one task.completed");
    assert!(completed[0].1[0].1.contains(&format!("\"result\":{{\"success\":{n},\"failed\":0}}")));
    // The task's queue is closed: no stream left, nothing in the registry.
    let queue = format!("mystocks:jobs:daily:queue:{}", report.task_id);
    let left: (u64, u64) =
        redis::pipe().exists(&queue).zcard("mystocks:jobs:daily:tasks").query(&mut redis.conn()).unwrap();
    assert_eq!(left, (0, 0), "the queue is closed once the task completed");
    let hash: HashMap<String, String> =
        redis::cmd("HGETALL").arg(format!("mystocks:task:{}", report.task_id)).query(&mut redis.conn()).unwrap();
    assert_eq!((hash["status"].as_str(), hash["processed"].as_str()), ("completed", n.to_string().as_str()));
    let job = s.rt.store.job(&report.task_id).await.unwrap().unwrap();
    assert_eq!((job.status.as_str(), job.processed, job.total), ("completed", n as i64, n as i64));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_during_a_5000_symbol_job_loses_no_symbol_and_events_resume() {
    let mut redis = RedisServer::start();
    let n = 5_000;
    let s = setup(&redis, n, 70).await;
    let watcher = RedisBus::new(common::link(&redis.url()), "mystocks:");
    watcher.wait_subscribed(1).await;
    let mut rx = watcher.subscribe();

    let rt = s.rt.clone();
    let job = tokio::spawn(async move {
        let bus = bus_for(&rt);
        let opts = DailyOptions { claim_idle: Duration::from_millis(500), ..Default::default() };
        run_daily(&rt, bus.as_ref(), opts, &Stop::new(), &mut |_| {}).await
    });
    // Mid-job: once the job has reported 500 symbols, Redis dies and comes back empty.
    let task_id = loop {
        let d = match tokio::time::timeout(Duration::from_secs(60), rx.recv()).await.expect("progress") {
            Ok(d) => d,
            Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(e) => panic!("{e}"),
        };
        if let EventBody::TaskProgress(p) = &d.event.body {
            if p.processed >= 500 {
                break p.task_id.clone();
            }
        }
    };
    redis.kill();
    redis.restart();
    tokio::time::timeout(Duration::from_secs(10), watcher.wait_subscribed(2)).await.expect("resubscribed");

    let report = tokio::time::timeout(Duration::from_secs(300), job).await.expect("job ends").unwrap().unwrap();
    assert_eq!(report.task_id, task_id);
    assert_eq!(report.mode, "distributed, finished locally");
    assert_eq!((report.processed, report.total, report.failed), (n as u64, n as u64, 0));
    assert_all_stored(&s.rt, n).await;
    // The events came back: the task's completion reached a subscriber through the new
    // Redis, and its status is written there again.
    let mut completed = false;
    loop {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            Ok(Ok(d)) if matches!(&d.event.body, EventBody::TaskCompleted(c) if c.task_id == task_id) => {
                completed = true;
                break;
            }
            Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => {}
            _ => break,
        }
    }
    assert!(completed, "task.completed delivered through Redis after it came back");
    let hash: HashMap<String, String> =
        redis::cmd("HGETALL").arg(format!("mystocks:task:{task_id}")).query(&mut redis.conn()).unwrap();
    assert_eq!((hash["status"].as_str(), hash["processed"].as_str()), ("completed", "5000"));
    let job = s.rt.store.job(&task_id).await.unwrap().unwrap();
    assert_eq!((job.status.as_str(), job.processed), ("completed", n as i64));
}

#[test]
fn a_worker_needs_redis_and_stops_when_idle() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/i.db", dir.path().display());
    let out = Command::new(env!("CARGO_BIN_EXE_mystocks"))
        .arg("worker")
        .env("DATABASE_URL", &db)
        .env_remove("REDIS_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a worker needs Redis: set REDIS_URL"));

    let redis = RedisServer::start();
    let out = Command::new(env!("CARGO_BIN_EXE_mystocks"))
        .args(["worker", "--name", "w1", "--exit-when-idle", "0.3"])
        .env("DATABASE_URL", &db)
        .env("REDIS_URL", redis.url())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("worker w1 ready\n"), "{stdout}");
    assert!(stdout.contains("worker w1 stopped: 0 symbols, 0 events"), "{stdout}");
    // Idle, it wrote nothing to Redis.
    let keys: u64 = redis::cmd("DBSIZE").query(&mut redis.conn()).unwrap();
    assert_eq!(keys, 0);
}

#[test]
fn a_worker_started_while_redis_is_down_joins_once_it_is_back() {
    let mut redis = RedisServer::start();
    redis.kill();
    let dir = tempfile::tempdir().unwrap();
    let mut worker = Command::new(env!("CARGO_BIN_EXE_mystocks"))
        .args(["worker", "--name", "late", "--exit-when-idle", "5"])
        .env("DATABASE_URL", format!("sqlite://{}/l.db", dir.path().display()))
        .env("REDIS_URL", redis.url())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // It says so, and keeps trying.
    let mut errors = BufReader::new(worker.stderr.take().unwrap()).lines();
    let complaint = errors.find(|l| l.as_ref().is_ok_and(|l| l.contains("worker step failed"))).expect("a warning");
    assert!(complaint.is_ok());
    // Keep reading its log so that it never blocks on a full pipe.
    let drain = std::thread::spawn(move || errors.count());
    redis.restart();
    // Back: a live task appears, and the worker does its ten symbols (which have no bars
    // here: each fails, counted, with its reason).
    let symbols: Vec<String> = (0..10).map(|i| format!("S{i}")).collect();
    let refs: Vec<&str> = symbols.iter().map(String::as_str).collect();
    open_task_by_hand(&redis, "t_late", &refs, true);
    let status = worker.wait().unwrap();
    assert!(status.success());
    drain.join().unwrap();
    let mut out = String::new();
    std::io::Read::read_to_string(&mut worker.stdout.take().unwrap(), &mut out).unwrap();
    assert!(out.contains("worker late stopped: 10 symbols"), "{out}");
    let hash: HashMap<String, String> =
        redis::cmd("HGETALL").arg("mystocks:task:t_late").query(&mut redis.conn()).unwrap();
    assert_eq!(
        (hash["status"].as_str(), hash["processed"].as_str(), hash["failed"].as_str()),
        ("completed", "10", "10")
    );
    let reasons: Vec<String> =
        redis::cmd("LRANGE").arg("mystocks:task:t_late:failures").arg(0).arg(-1).query(&mut redis.conn()).unwrap();
    assert_eq!(reasons.len(), 10);
    assert!(reasons.iter().all(|r| r.ends_with("\tno daily bars")), "{reasons:?}");
}
