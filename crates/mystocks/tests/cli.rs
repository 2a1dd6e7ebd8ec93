//! The store commands end to end, as a user runs them: the real `mystocks` binary with
//! `DATABASE_URL` pointing at a fresh SQLite file (and, for one test, PostgreSQL).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mystocks(dir: &Path, db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mystocks"))
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", db)
        .env_remove("TIMESERIES_URL")
        .output()
        .expect("mystocks runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name).display().to_string()
}

#[test]
fn import_is_idempotent_and_bars_reads_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let db = "sqlite://data/mystocks.db";
    for _ in 0..2 {
        let o = mystocks(dir.path(), db, &["import", &fixture("us_daily_2000_2013.csv.gz")]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("imported 12154 bars of 5 symbols"), "{}", stdout(&o));
    }
    assert!(dir.path().join("data/mystocks.db").exists(), "the file and its folder are created");
    let o = mystocks(dir.path(), db, &["bars", "MSFT", "--start", "2000-03-01", "--end", "2000-03-03"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "date,open,high,low,close,volume");
    assert_eq!(lines.len(), 4, "three bars, no duplicates after two imports: {text}");
    assert!(lines[1].starts_with("2000-03-01,"), "{text}");
    let o = mystocks(dir.path(), db, &["bars", "MSFT", "--limit", "1", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["bars"].as_array().unwrap().len(), 1);
}

#[test]
fn a_malformed_file_is_refused_whole_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = "sqlite://store.db";
    let file = dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "symbol,date,open,high,low,close,volume\nAAA,2024-01-02,1,2,0.5,1.5,100\nAAA,2024-01-03,1,2,3,1.5,100\n",
    )
    .unwrap();
    let o = mystocks(dir.path(), db, &["import", file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bad.csv:3: high 2 is below low 3"), "{}", stderr(&o));
    let o = mystocks(dir.path(), db, &["bars", "AAA"]);
    assert!(!o.status.success(), "nothing of the file was committed");
    assert_eq!(stderr(&o).trim(), "error: unknown symbol `AAA`");
}

#[test]
fn demo_data_is_deterministic_and_unknown_symbols_fail() {
    let dir = tempfile::tempdir().unwrap();
    let run = |db: &str| {
        let o = mystocks(dir.path(), db, &["demo-data", "--symbols", "12", "--days", "40", "--seed", "3"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = mystocks(dir.path(), db, &["bars", "300001", "--format", "json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let a = run("sqlite://a.db");
    let b = run("sqlite://b.db");
    assert_eq!(a, b, "same seed, same market");
    // Over another seed's market too: its suspended days leave nothing behind.
    let o = mystocks(dir.path(), "sqlite://c.db", &["demo-data", "--symbols", "12", "--days", "300", "--seed", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mystocks(dir.path(), "sqlite://c.db", &["demo-data", "--symbols", "12", "--days", "300", "--seed", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mystocks(dir.path(), "sqlite://d.db", &["demo-data", "--symbols", "12", "--days", "300", "--seed", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let every_bar = |db: &str| {
        let store = tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = mystocks::store::open(&format!("sqlite://{}/{db}", dir.path().display())).await.unwrap();
            let symbols: Vec<String> = store.list_symbols(100, 0).await.unwrap().into_iter().map(|s| s.code).collect();
            let mut all: Vec<_> =
                store.read_latest_bars(&symbols, "1d", 1000, i64::MAX).await.unwrap().into_iter().collect();
            all.sort_by(|x, y| x.0.cmp(&y.0));
            all
        });
        store
    };
    let (over, fresh) = (every_bar("c.db"), every_bar("d.db"));
    let counts =
        |m: &[(String, Vec<mystocks::store::Bar>)]| m.iter().map(|(s, b)| (s.clone(), b.len())).collect::<Vec<_>>();
    assert_eq!(counts(&over), counts(&fresh), "bars per symbol: same seed, same market, whatever was there");
    assert!(over == fresh, "same seed, same bars, whatever was there");
    assert!(a.contains("\"2023-01-03\"") || a.contains("\"2023-01-04\""), "{a}");
    let o = mystocks(dir.path(), "sqlite://a.db", &["bars", "NOPE"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).trim(), "error: unknown symbol `NOPE`");
    let o = mystocks(dir.path(), "mysql://x", &["bars", "NOPE"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("DATABASE_URL: unsupported store URL"), "{}", stderr(&o));
}

#[tokio::test]
async fn demo_data_is_the_same_on_postgres() {
    let admin =
        std::env::var("MYSTOCKS_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let scratch = mystocks::store::postgres::ScratchDatabase::create(&admin, "mystocks_cli")
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed (run scripts/test): {e}"));
    let dir = tempfile::tempdir().unwrap();
    let args = ["demo-data", "--symbols", "12", "--days", "40", "--seed", "3"];
    let url = scratch.url().to_string();
    let on = |db: &str| {
        let o = mystocks(dir.path(), db, &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = mystocks(dir.path(), db, &["bars", "688001"]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    // The child process does the work; blocking this test's thread meanwhile is fine.
    let pg = on(&url);
    let dir2 = tempfile::tempdir().unwrap();
    let o = mystocks(dir2.path(), "sqlite://x.db", &args);
    assert!(o.status.success());
    let lite = stdout(&mystocks(dir2.path(), "sqlite://x.db", &["bars", "688001"]));
    assert_eq!(pg, lite, "same seed, same data on both backends");
    scratch.drop_now().await.unwrap();
}

fn source_of(o: &Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(o)).expect("JSON result");
    doc["source"].as_str().unwrap_or_default().to_string()
}

#[test]
fn indicator_twice_is_computed_then_cached_embedded_and_with_redis() {
    let dir = tempfile::tempdir().unwrap();
    let db = "sqlite://m.db";
    let o = mystocks(dir.path(), db, &["demo-data", "--symbols", "5", "--days", "120"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let args = ["indicator", "000001", "MACD"];
    assert_eq!(source_of(&mystocks(dir.path(), db, &args)), "computed");
    assert_eq!(source_of(&mystocks(dir.path(), db, &args)), "l3", "embedded: the store answers the second run");

    let redis = common::RedisServer::start();
    let with_redis = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_mystocks"))
            .args(args)
            .current_dir(dir.path())
            .env("DATABASE_URL", db)
            .env("REDIS_URL", redis.url())
            .output()
            .expect("mystocks runs")
    };
    let args = ["indicator", "000001", "RSI", "--param", "timeperiod=9"];
    assert_eq!(source_of(&with_redis(&args)), "computed");
    assert_eq!(source_of(&with_redis(&args)), "l2", "with Redis: L2 answers the second run");
    let doc: serde_json::Value = serde_json::from_str(&stdout(&with_redis(&args))).unwrap();
    assert_eq!(doc["params"], serde_json::json!({"timeperiod": 9}));
    assert_eq!(doc["lookback"], 9);
    assert_eq!(doc["dates"].as_array().unwrap().len(), doc["outputs"]["real"].as_array().unwrap().len());
}
