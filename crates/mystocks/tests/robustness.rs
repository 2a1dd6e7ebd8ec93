//! The commands as a new user meets them, with realistic and hostile input: jobs that
//! are stopped, resumed with a wrong id or with repeated symbols; Redis that is down,
//! refuses the password or has no such database; bad values on the command line; output
//! into a closed pipe. Real binary, real redis-server processes, SQLite files.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{json_of, mystocks, open_task_by_hand, stderr, stdout, RedisServer};
use serde_json::Value;

fn sqlite(dir: &std::path::Path) -> String {
    format!("sqlite://{}/r.db", dir.display())
}

fn market(dir: &std::path::Path, symbols: &str, days: &str) -> String {
    let db = sqlite(dir);
    let o = mystocks(dir, &db, &[], &["demo-data", "--symbols", symbols, "--days", days]);
    assert!(o.status.success(), "{}", stderr(&o));
    db
}

#[test]
fn repeated_symbols_count_once_embedded_and_with_redis() {
    let dir = tempfile::tempdir().unwrap();
    let db = market(dir.path(), "3", "60");
    let redis = RedisServer::start();
    let url = redis.url();
    for env in [vec![], vec![("REDIS_URL", url.as_str())]] {
        let report = json_of(dir.path(), &db, &env, &["daily", "--symbols", "000001,000001,300001,000001", "--json"]);
        assert_eq!((report["total"].as_u64(), report["processed"].as_u64()), (Some(2), Some(2)), "{report}");
        assert_eq!(report["status"], "completed");
        let job = json_of(dir.path(), &db, &env, &["jobs", "show", report["task_id"].as_str().unwrap(), "--json"]);
        assert_eq!((job["status"].as_str(), job["processed"].as_u64()), (Some("completed"), Some(2)), "{job}");
    }
}

#[test]
fn resume_needs_a_known_well_formed_task_and_keeps_its_symbols() {
    let dir = tempfile::tempdir().unwrap();
    let db = market(dir.path(), "20", "60");
    let d = dir.path();
    let o = mystocks(d, &db, &[], &["daily", "--resume", "bogus"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("unknown task `bogus`"), "{}", stderr(&o));
    let o = mystocks(d, &db, &[], &["jobs", "--json"]);
    assert_eq!(serde_json::from_slice::<Value>(&o.stdout).unwrap()["jobs"], serde_json::json!([]), "nothing created");
    for bad in ["a b", "x:y", "*", ""] {
        let o = mystocks(d, &db, &[], &["daily", "--resume", bad]);
        assert_eq!(o.status.code(), Some(1), "{bad}");
        let e = stderr(&o);
        assert!(e.contains("bad task id") && !e.contains("channel"), "{bad}: {e}");
    }
    // A two-symbol task, interrupted (here: its record says so), resumes over its two
    // symbols, not the market's twenty.
    let report = json_of(d, &db, &[], &["daily", "--symbols", "000001,300001", "--json"]);
    let task = report["task_id"].as_str().unwrap().to_string();
    let o = mystocks(d, &db, &[], &["cache", "invalidate", "300001"]);
    assert!(o.status.success() && stdout(&o).contains("invalidated 1 symbol"), "{}", stderr(&o));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let first_start = 1_700_000_000;
    rt.block_on(async {
        let store = mystocks::store::open(&db).await.unwrap();
        let mut job = store.job(&task).await.unwrap().unwrap();
        job.status = mystocks::store::JobStatus::Interrupted;
        job.started_at = Some(first_start);
        store.upsert_job(&job).await.unwrap();
    });
    let resumed = json_of(d, &db, &[], &["daily", "--resume", &task, "--json"]);
    assert_eq!(resumed["total"], 2, "{resumed}");
    let record = json_of(d, &db, &[], &["jobs", "show", &task, "--json"]);
    assert_eq!(record["started_at"], first_start, "the task keeps its start: {record}");
    assert_eq!((resumed["skipped"].as_u64(), resumed["processed"].as_u64()), (Some(1), Some(2)), "{resumed}");
    let o = mystocks(d, &db, &[], &["daily", "--resume", &task, "--symbols", "000001"]);
    assert!(stderr(&o).contains("leave out --symbols"), "{}", stderr(&o));
    // A finished task resumes to nothing.
    let again = json_of(d, &db, &[], &["daily", "--resume", &task, "--json"]);
    assert_eq!(again["status"], "already completed");
}

/// Starts `mystocks daily` and returns it once it has processed at least `after` symbols,
/// with the task id from its first line and its later stderr lines still readable.
fn daily_until(
    dir: &std::path::Path,
    db: &str,
    env: &[(&str, &str)],
    after: u64,
) -> (std::process::Child, String, std::io::Lines<BufReader<std::process::ChildStderr>>) {
    let mut cmd = Command::new(common::bin());
    cmd.arg("daily").current_dir(dir).env("DATABASE_URL", db).env_remove("REDIS_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    // The task id comes first, before any work, with how to resume it.
    assert!(first.starts_with("task calc_") && first.contains("--resume calc_"), "{first}");
    let task = first.split_whitespace().nth(1).unwrap().to_string();
    loop {
        let line = lines.next().expect("progress").unwrap();
        let Some(counts) = line.split_whitespace().nth(3) else { continue };
        if counts.split('/').next().and_then(|p| p.parse::<u64>().ok()).is_some_and(|p| p >= after) {
            break;
        }
    }
    (child, task, lines)
}

fn terminate(child: &std::process::Child) {
    let ok = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(ok.success());
}

fn sigterm_marks_the_task_interrupted(env: &[(&str, &str)], redis: Option<&RedisServer>) {
    let dir = tempfile::tempdir().unwrap();
    let db = market(dir.path(), "3000", "70");
    let (mut child, task, lines) = daily_until(dir.path(), &db, env, 500);
    terminate(&child);
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    let status = child.wait().unwrap();
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    assert_eq!(status.code(), Some(1), "an interrupted job is not a success");
    let last = rest.last().cloned().unwrap_or_default();
    assert!(
        last.contains(&format!("task {task} interrupted")) && last.contains(&format!("mystocks daily --resume {task}")),
        "{rest:?}"
    );
    assert!(out.contains(&format!("task {task} interrupted")), "{out}");
    let job = json_of(dir.path(), &db, env, &["jobs", "show", &task, "--json"]);
    assert_eq!(job["status"], "interrupted", "{job}");
    let processed = job["processed"].as_u64().unwrap();
    assert!((500..3000).contains(&processed), "{job}");
    if let Some(redis) = redis {
        let hash: HashMap<String, String> =
            redis::cmd("HGETALL").arg(format!("mystocks:task:{task}")).query(&mut redis.conn()).unwrap();
        assert_eq!(hash["status"], "interrupted");
        assert!(!hash.contains_key("queue"), "workers no longer count into it");
        let queue: u64 =
            redis::cmd("EXISTS").arg(format!("mystocks:jobs:daily:queue:{task}")).query(&mut redis.conn()).unwrap();
        assert_eq!(queue, 0, "its queue is closed");
        let events: Vec<(String, Vec<(String, String)>)> = redis::cmd("XRANGE")
            .arg(format!("mystocks:events:task:{task}"))
            .arg("-")
            .arg("+")
            .query(&mut redis.conn())
            .unwrap();
        let said = &events.last().unwrap().1[0].1;
        assert!(said.contains("\"status\":\"interrupted\"") && said.contains("--resume"), "{said}");
    }
    // The obvious next step finishes it, keeping what was done.
    let resumed = json_of(dir.path(), &db, env, &["daily", "--resume", &task, "--json"]);
    assert_eq!((resumed["status"].as_str(), resumed["processed"].as_u64()), (Some("completed"), Some(3000)));
    assert!(resumed["skipped"].as_u64().unwrap() >= processed - 500, "{resumed}");
}

#[test]
fn sigterm_during_daily_marks_the_task_interrupted_embedded() {
    sigterm_marks_the_task_interrupted(&[], None);
}

#[test]
fn sigterm_during_daily_marks_the_task_interrupted_distributed() {
    let redis = RedisServer::start();
    let url = redis.url();
    sigterm_marks_the_task_interrupted(&[("REDIS_URL", &url)], Some(&redis));
}

#[test]
fn failed_symbols_are_listed_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = market(dir.path(), "3", "60");
    let o = mystocks(dir.path(), &db, &[], &["daily", "--symbols", "000001,NOBARS1,300001"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("  failed NOBARS1: no daily bars"), "{}", stdout(&o));
    // A job none of whose symbols could be computed reports them and exits non-zero.
    let o = mystocks(dir.path(), &db, &[], &["daily", "--symbols", "NOBARS1", "--date", "2000-01-01", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("every one of its 1 symbols failed"), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["failures"][0]["reason"], "no daily bars on or before the as-of date", "{report}");
    let job = json_of(dir.path(), &db, &[], &["jobs", "show", report["task_id"].as_str().unwrap(), "--json"]);
    assert_eq!(job["result"]["failures"][0]["symbol"], "NOBARS1", "{job}");
}

#[test]
fn a_job_takes_only_its_own_entries_and_retires_dead_tasks() {
    let redis = RedisServer::start();
    let url = redis.url();
    let env = [("REDIS_URL", url.as_str())];
    let dir = tempfile::tempdir().unwrap();
    let db = market(dir.path(), "5", "60");
    let leftovers = ["000001", "300001", "600000", "601000", "002001"];
    // A task whose coordinator died (no lock), and one still running elsewhere.
    open_task_by_hand(&redis, "calc_dead", &leftovers, false);
    open_task_by_hand(&redis, "calc_live", &leftovers[..2], true);
    let o = mystocks(dir.path(), &db, &env, &["daily", "--symbols", "000001", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((report["total"].as_u64(), report["processed"].as_u64()), (Some(1), Some(1)));
    // Its own events only: start, one symbol, one progress, completed (x2 channels).
    assert_eq!(report["events"], 7, "{report}");
    let e = stderr(&o);
    assert!(e.contains("task calc_dead was left unfinished") && e.contains("--resume calc_dead"), "{e}");
    let mut c = redis.conn();
    let dead: HashMap<String, String> = redis::cmd("HGETALL").arg("mystocks:task:calc_dead").query(&mut c).unwrap();
    assert_eq!((dead["status"].as_str(), dead["processed"].as_str()), ("interrupted", "0"), "not adopted");
    let (dead_queue, live_len): (u64, u64) = redis::pipe()
        .exists("mystocks:jobs:daily:queue:calc_dead")
        .cmd("XLEN")
        .arg("mystocks:jobs:daily:queue:calc_live")
        .query(&mut c)
        .unwrap();
    assert_eq!((dead_queue, live_len), (0, 2), "the dead task's queue closed, the live one's untouched");
    let live: Vec<String> = redis::cmd("ZRANGE").arg("mystocks:jobs:daily:tasks").arg(0).arg(-1).query(&mut c).unwrap();
    assert_eq!(live, vec!["calc_live".to_string()]);
}

/// A TCP server that accepts connections and never answers, counting them.
fn silent_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("redis://127.0.0.1:{}/0", listener.local_addr().unwrap().port());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            held.push(conn);
        }
    });
    (url, count)
}

#[test]
fn redis_unreachable_is_said_once_and_not_waited_for_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = market(dir.path(), "3", "60");
    let d = dir.path();
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("redis://127.0.0.1:{}/0", l.local_addr().unwrap().port())
    };
    let o = mystocks(d, &db, &[("REDIS_URL", &closed)], &["indicator", "000001", "RSI"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "one warning: {e}");
    assert!(e.contains("WARN") && e.contains("connection refused"), "{e}");
    assert!(!e.contains('\u{1b}'), "no colour codes off a terminal: {e:?}");
    // A server that accepts and never answers: the start-up check waits once (for the
    // socket timeout), and then nothing connects again.
    let (silent, connections) = silent_server();
    let env = [("REDIS_URL", silent.as_str()), ("REDIS_SOCKET_TIMEOUT", "1"), ("REDIS_SOCKET_CONNECT_TIMEOUT", "1")];
    let o = mystocks(d, &db, &env, &["indicator", "000001", "MACD"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("no answer in time"), "{}", stderr(&o));
    // (The breaker's probe may try once more, every 0.5 s; nothing else does.)
    assert!(connections.load(Ordering::SeqCst) <= 2, "one connection for the whole command");
    let o = mystocks(d, &db, &env, &["daily", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["mode"], "single process (Redis down)");
    assert!(connections.load(Ordering::SeqCst) <= 4, "again one connection for the whole job");
}

#[test]
fn a_wrong_password_or_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = market(dir.path(), "2", "40");
    let redis = RedisServer::start();
    let _: () = redis::cmd("CONFIG").arg("SET").arg("requirepass").arg("s3cret").query(&mut redis.conn()).unwrap();
    let port = redis.url().trim_end_matches("/0").rsplit(':').next().unwrap().to_string();
    for (url, cause) in [
        (format!("redis://:wrong@127.0.0.1:{port}/0"), "authentication failed"),
        (format!("redis://:s3cret@127.0.0.1:{port}/99"), "no such database number"),
    ] {
        let o = mystocks(dir.path(), &db, &[("REDIS_URL", &url)], &["indicator", "000001", "RSI"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains(cause) && !e.contains("s3cret") && !e.contains("wrong@"), "{e}");
        assert_eq!(e.lines().count(), 1, "{e}");
    }
    let o = mystocks(dir.path(), &db, &[("REDIS_URL", "redis://127.0.0.1:0")], &["indicator", "000001", "RSI"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).trim(), "error: REDIS_URL: `redis://127.0.0.1:0`: port 0 is not a port to connect to");
}

#[test]
fn a_worker_stops_when_idle_even_while_redis_is_down_and_is_named_after_its_host() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path());
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("redis://127.0.0.1:{}/0", l.local_addr().unwrap().port())
    };
    let out = Command::new(common::bin())
        .args(["worker", "--exit-when-idle", "1"])
        .env("DATABASE_URL", &db)
        .env("REDIS_URL", &closed)
        .env_remove("HOSTNAME")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap().trim().to_string();
    let first = stdout(&out).lines().next().unwrap_or_default().to_string();
    assert!(first.starts_with(&format!("worker worker-{host}-")), "{first}");
    assert!(stdout(&out).contains("stopped: 0 symbols"), "{}", stdout(&out));
}

/// A pipe whose reading end is already closed: every write to it fails with EPIPE.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

#[test]
fn output_into_a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = market(dir.path(), "2", "300");
    for args in [
        vec!["indicator", "000001", "MACD"],
        vec!["indicator", "000001", "MACD", "--format", "csv"],
        vec!["bars", "000001"],
        vec!["bars", "000001", "--format", "json"],
        vec!["symbols"],
        vec!["catalog", "--format", "json"],
    ] {
        let o = Command::new(common::bin())
            .args(&args)
            .env("DATABASE_URL", &db)
            .env_remove("REDIS_URL")
            .stdout(closed_pipe())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}

#[test]
fn errors_say_each_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = mystocks(d, "sqlite://x.db", &[], &["calc", "--input", "nonexist.csv", "--indicator", "SMA"]);
    assert_eq!(stderr(&o).trim(), "error: nonexist.csv: No such file or directory (os error 2)");
    let o = mystocks(d, "sqlite:///proc/nope/x.db", &[], &["bars", "A"]);
    let e = stderr(&o);
    assert_eq!(e.matches("No such file or directory").count() + e.matches("ermission denied").count(), 1, "{e}");
    // A PostgreSQL port nobody listens on: said at once, with the cause.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://postgres@127.0.0.1:{closed}/x");
    let o = mystocks(d, &url, &[], &["bars", "A"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("refused") && e.lines().count() == 1, "{e}");
}

#[test]
fn bad_values_on_the_command_line_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path());
    let d = dir.path();
    for (args, says) in [
        (vec!["bench", "indicators", "--only", "NOPE", "--no-panel"], "--only: unknown indicator"),
        (vec!["bench", "indicators", "--bars", "0", "--no-panel"], "--bars must be at least 1"),
        (vec!["bench", "indicators", "--runs", "0", "--no-panel"], "--runs must be at least 1"),
        (vec!["demo-data", "--symbols", "100000"], "--symbols must be from 1 to 7000"),
        (vec!["demo-data", "--days", "0"], "--days must be from 1"),
        (vec!["bench", "lock", "--iterations", "0"], "--iterations"),
        (vec!["bars", "A", "--start", "yesterday"], "is not a date or time"),
        (vec!["bars", "A", "--freq", "1x"], "is not a frequency"),
        (vec!["indicator", "A", "RSI", "--freq", "daily"], "is not a frequency"),
        (vec!["import", "f.csv", "--freq", "bogus"], "is not a frequency"),
        (vec!["indicator", "A", "SMA", "--freq", "0d"], "is not a frequency"),
        (vec!["jobs", "--limit", "0"], "at least 1"),
        (vec!["symbols", "--limit", "0"], "at least 1"),
        (vec!["indicator", "A", "SMA", "--param", "timeperiod=5", "--param", "timeperiod=6"], "given more than once"),
        (vec!["indicator", "A", "SMA", "--start", "2023-07-01", "--end", "2023-06-01"], "the start is after the end"),
        (vec!["bars", "A", "--start", "2023-07-01", "--end", "2023-06-01"], "the start is after the end"),
        (vec!["worker", "--name", ""], "cannot be empty"),
    ] {
        let o = mystocks(d, &db, &[], &args);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    let csv = d.join("p.csv");
    std::fs::write(&csv, "symbol,date,open,high,low,close,volume\nA,2024-01-02,1,2,1,3,10\n").unwrap();
    let o = mystocks(d, &db, &[], &["import", csv.to_str().unwrap()]);
    assert!(stderr(&o).contains("p.csv:2: close 3 is outside low 1 .. high 2"), "{}", stderr(&o));
    std::fs::write(&csv, "symbol,date,open,high,low,close,volume\nA,2024-01-02,0,0,0,0,10\n").unwrap();
    let o = mystocks(d, &db, &[], &["import", csv.to_str().unwrap()]);
    assert!(stderr(&o).contains("p.csv:2: open 0 is not a positive price"), "{}", stderr(&o));
}

#[test]
fn help_says_what_the_commands_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = market(dir.path(), "3", "40");
    let d = dir.path();
    let help = |args: &[&str]| stdout(&mystocks(d, &db, &[], args));
    let lock = help(&["bench", "lock", "--help"]);
    assert!(lock.contains("Lock round trips timed") && lock.contains("[default: 5000]"), "{lock}");
    let bars = help(&["bars", "--help"]);
    assert!(!bars.contains("lookback") && bars.contains("RFC 3339"), "{bars}");
    // `--start` takes what its help says.
    for start in ["2023-01-04", "2023-01-04 00:00", "2023-01-04T00:00:00Z"] {
        let o = mystocks(d, &db, &[], &["bars", "000001", "--start", start, "--limit", "1"]);
        assert!(o.status.success(), "{start}: {}", stderr(&o));
    }
    // The commands a user needs without the server.
    let symbols = help(&["symbols"]);
    assert_eq!(symbols.lines().count(), 4, "{symbols}");
    assert!(symbols.starts_with("code,name,exchange,listed_on\n000001,"), "{symbols}");
    let catalog = json_of(d, &db, &[], &["catalog", "--format", "json"]);
    let macd = catalog["indicators"].as_array().unwrap().iter().find(|e| e["code"] == "MACD").unwrap().clone();
    assert_eq!(macd["outputs"], serde_json::json!(["macd", "macdsignal", "macdhist"]));
    assert_eq!(
        macd["params"][0],
        serde_json::json!({"name":"fastperiod","type":"integer","default":12,"min":2,"max":100000})
    );
    assert!(help(&["jobs"]).contains("no tasks yet"));
    let calc = help(&["calc", "--help"]);
    assert!(calc.contains("mystocks catalog"), "{calc}");
}
