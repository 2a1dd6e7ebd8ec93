//! One test suite, run against both store backends: a real SQLite file in a temporary
//! directory and a real PostgreSQL database created for the test and dropped after.
//!
//! PostgreSQL comes from `MYSTOCKS_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); `scripts/test` installs and starts the
//! server when needed. A missing server fails these tests; they never skip silently.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use mystocks::demo::generate;
use mystocks::market::{read_bar_file, to_import_batches};
use mystocks::store::postgres::ScratchDatabase;
use mystocks::store::{
    self, Bar, BarRange, IndicatorRow, JobRecord, JobStatus, SeriesState, Store, Symbol, SymbolBars,
};

fn pg_admin_url() -> String {
    std::env::var("MYSTOCKS_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

enum Keep {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Pg(ScratchDatabase),
}

async fn sqlite() -> (Keep, String, Arc<dyn Store>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/nested/folder/test.db", dir.path().display());
    let store = store::open(&url).await.expect("sqlite store opens, creating its folder");
    (Keep::Dir(dir), url, store)
}

async fn postgres() -> (Keep, String, Arc<dyn Store>) {
    let admin = pg_admin_url();
    let db = ScratchDatabase::create(&admin, "mystocks_test").await.unwrap_or_else(|e| {
        panic!("PostgreSQL at {admin} is needed (run scripts/test, or set MYSTOCKS_TEST_PG_URL): {e}")
    });
    let url = db.url().to_string();
    let store = store::open(&url).await.expect("postgres store opens");
    (Keep::Pg(db), url, store)
}

async fn finish(keep: Keep, store: Arc<dyn Store>) {
    drop(store);
    if let Keep::Pg(db) = keep {
        db.drop_now().await.expect("scratch database dropped");
    }
}

/// Runs one case on both backends.
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        $(mod $case {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (keep, url, store) = super::sqlite().await;
                super::$case(store.clone(), &url).await;
                super::finish(keep, store).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let (keep, url, store) = super::postgres().await;
                super::$case(store.clone(), &url).await;
                super::finish(keep, store).await;
            }
        })*
    };
}

on_both_backends!(
    real_sample_data_round_trips_exactly,
    reimport_updates_and_never_duplicates,
    a_failing_import_commits_nothing,
    range_reads_at_the_edges,
    latest_bars_in_one_batch,
    concurrent_writers_all_land,
    indicator_values_upsert_range_latest_delete,
    jobs_upsert_and_read,
    symbols_list_and_migrations_are_idempotent,
    a_large_first_load_keeps_the_key_and_reimports,
    every_write_of_bars_gives_its_series_a_new_revision,
    replacing_a_series_keeps_nothing_of_the_old_one,
);

fn sample() -> Vec<SymbolBars> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/us_daily_2000_2013.csv.gz");
    let all = read_bar_file(&path).expect("sample parses");
    to_import_batches(&path, all, "1d").expect("sample converts")
}

async fn real_sample_data_round_trips_exactly(store: Arc<dyn Store>, _url: &str) {
    let batches = sample();
    let total: usize = batches.iter().map(|b| b.bars.len()).sum();
    let stats = store.import_bars(&[], &batches).await.unwrap();
    assert_eq!((stats.symbols, stats.bars), (5, total));
    assert_eq!(total, 12_154);
    for b in &batches {
        let got = store.read_bars(&b.symbol, "1d", &BarRange::default()).await.unwrap();
        assert_eq!(got.len(), b.bars.len(), "{}", b.symbol);
        for (x, y) in got.iter().zip(&b.bars) {
            assert_eq!(x, y, "{} bar differs", b.symbol);
            assert_eq!(x.close.to_bits(), y.close.to_bits());
        }
    }
    let aapl = store.symbol("AAPL").await.unwrap().expect("implied symbol created");
    assert_eq!(aapl.code, "AAPL");
}

async fn reimport_updates_and_never_duplicates(store: Arc<dyn Store>, _url: &str) {
    let mut batches = sample();
    store.import_bars(&[], &batches).await.unwrap();
    store.import_bars(&[], &batches).await.unwrap();
    let ibm = store.read_bars("IBM", "1d", &BarRange::default()).await.unwrap();
    assert_eq!(ibm.len(), 3270, "no duplicates after a second import");
    let i = batches.iter().position(|b| b.symbol == "IBM").unwrap();
    batches[i].bars[10].close = 123.456;
    store.import_bars(&[], &batches[i..=i]).await.unwrap();
    let ibm2 = store.read_bars("IBM", "1d", &BarRange::default()).await.unwrap();
    assert_eq!(ibm2.len(), 3270);
    assert_eq!(ibm2[10].close, 123.456, "re-import updates");
}

async fn replacing_a_series_keeps_nothing_of_the_old_one(store: Arc<dyn Store>, _url: &str) {
    let bar = |ts: i64, close: f64| Bar { ts, open: close, high: close, low: close, close, volume: 1.0 };
    let series =
        |symbol: &str, freq: &str, bars: Vec<Bar>| SymbolBars { symbol: symbol.into(), freq: freq.into(), bars };
    let day = 86_400;
    store
        .import_bars(
            &[],
            &[
                series("A", "1d", vec![bar(day, 1.0), bar(2 * day, 2.0), bar(3 * day, 3.0)]),
                series("A", "15m", vec![bar(day, 9.0)]),
                series("B", "1d", vec![bar(day, 5.0)]),
            ],
        )
        .await
        .unwrap();
    // A's daily series regenerated without day 2: nothing of the old one stays.
    let stats = store.replace_bars(&[], &[series("A", "1d", vec![bar(day, 10.0), bar(3 * day, 30.0)])]).await.unwrap();
    assert_eq!((stats.symbols, stats.bars), (1, 2));
    let closes = |bars: Vec<Bar>| bars.iter().map(|b| (b.ts / day, b.close)).collect::<Vec<_>>();
    let all = BarRange::default();
    assert_eq!(closes(store.read_bars("A", "1d", &all).await.unwrap()), vec![(1, 10.0), (3, 30.0)]);
    assert_eq!(closes(store.read_bars("A", "15m", &all).await.unwrap()), vec![(1, 9.0)], "other series untouched");
    assert_eq!(closes(store.read_bars("B", "1d", &all).await.unwrap()), vec![(1, 5.0)]);
}

async fn a_failing_import_commits_nothing(store: Arc<dyn Store>, _url: &str) {
    let good = SymbolBars {
        symbol: "GOOD".into(),
        freq: "1d".into(),
        bars: vec![Bar { ts: 86_400, open: 1.0, high: 2.0, low: 0.5, close: 1.5, volume: 10.0 }],
    };
    // The database itself refuses high < low (a CHECK constraint), after GOOD was written
    // in the same transaction.
    let bad = SymbolBars {
        symbol: "BAD".into(),
        freq: "1d".into(),
        bars: vec![Bar { ts: 86_400, open: 1.0, high: 0.5, low: 2.0, close: 1.5, volume: 10.0 }],
    };
    let rev = store.latest_rev().await.unwrap();
    let err = store.import_bars(&[], &[good, bad]).await.expect_err("constraint violation");
    assert_eq!(store.latest_rev().await.unwrap(), rev, "no revision taken either");
    assert!(err.to_string().to_lowercase().contains("check"), "{err}");
    assert!(store.read_bars("GOOD", "1d", &BarRange::default()).await.unwrap().is_empty(), "nothing of the batch");
    assert!(store.symbol("GOOD").await.unwrap().is_none(), "not even the symbol");

    // A malformed file never reaches the store: the parse fails first, naming the line.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.csv");
    std::fs::write(
        &path,
        "symbol,date,open,high,low,close,volume\nX,2020-01-02,1,2,0.5,1,10\nX,2020-01-03,1,2,0.5,oops,10\n",
    )
    .unwrap();
    let err = read_bar_file(&path).expect_err("malformed row");
    assert!(err.to_string().ends_with(":3: bad number `oops` in column `close`"), "{err}");
    assert!(store.symbol("X").await.unwrap().is_none());
}

async fn range_reads_at_the_edges(store: Arc<dyn Store>, _url: &str) {
    let bars: Vec<Bar> = (0..10)
        .map(|i| Bar { ts: 1_000 + i * 100, open: 1.0, high: 2.0, low: 0.5, close: i as f64, volume: 1.0 })
        .collect();
    store.import_bars(&[], &[SymbolBars { symbol: "R".into(), freq: "15m".into(), bars: bars.clone() }]).await.unwrap();
    let read = |start, end, limit| {
        let store = store.clone();
        async move {
            let got = store.read_bars("R", "15m", &BarRange { start, end, limit }).await.unwrap();
            got.iter().map(|b| b.close as i64).collect::<Vec<_>>()
        }
    };
    assert_eq!(read(None, None, None).await, (0..10).collect::<Vec<_>>());
    assert_eq!(read(Some(1_000), Some(1_900), None).await.len(), 10, "inclusive at both ends");
    assert_eq!(read(Some(1_001), Some(1_899), None).await, (1..9).collect::<Vec<_>>());
    assert_eq!(read(Some(1_500), Some(1_500), None).await, vec![5]);
    assert_eq!(read(Some(1_900), Some(1_000), None).await, Vec::<i64>::new(), "start after end");
    assert_eq!(read(None, None, Some(3)).await, vec![7, 8, 9], "limit keeps the latest, oldest first");
    assert_eq!(read(None, Some(1_400), Some(2)).await, vec![3, 4]);
    assert_eq!(read(None, None, Some(0)).await, Vec::<i64>::new());
    assert_eq!(read(Some(5_000), None, None).await, Vec::<i64>::new());
    assert!(store.read_bars("R", "1d", &BarRange::default()).await.unwrap().is_empty(), "other frequency");
    assert!(store.read_bars("NOPE", "15m", &BarRange::default()).await.unwrap().is_empty());
}

async fn latest_bars_in_one_batch(store: Arc<dyn Store>, _url: &str) {
    let market = generate(40, 300, 5);
    store.import_bars(&market.symbols, &market.bars).await.unwrap();
    let mut codes: Vec<String> = market.symbols.iter().map(|s| s.code.clone()).collect();
    codes.push("MISSING".into());
    codes.push(codes[0].clone()); // asked twice, returned once
    let got = store.read_latest_bars(&codes, "1d", 250, i64::MAX).await.unwrap();
    assert_eq!(got.len(), 40, "one entry per symbol that has bars");
    for b in &market.bars {
        let want = &b.bars[b.bars.len().saturating_sub(250)..];
        assert_eq!(got[&b.symbol], want, "{}", b.symbol);
    }
    // As of an earlier day: the 250 bars up to and including that day.
    let day = market.bars[0].bars[200].ts;
    let got = store.read_latest_bars(&codes, "1d", 250, day).await.unwrap();
    for b in &market.bars {
        let upto: Vec<_> = b.bars.iter().filter(|x| x.ts <= day).cloned().collect();
        assert!(!upto.is_empty());
        assert_eq!(got[&b.symbol], upto[upto.len().saturating_sub(250)..], "{} as of a day", b.symbol);
    }
    let sym = store.symbol("600000").await.unwrap().unwrap();
    assert_eq!(sym, market.symbols[1], "demo metadata stored");
}

async fn concurrent_writers_all_land(store: Arc<dyn Store>, _url: &str) {
    let market = generate(24, 120, 9);
    let mut tasks = Vec::new();
    for chunk in market.bars.chunks(3) {
        let (store, chunk) = (store.clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            // Each writer also rewrites the first symbol, so writers contend on rows too.
            let mut batch = chunk;
            batch.push(SymbolBars { symbol: "SHARED".into(), freq: "1d".into(), bars: batch[0].bars.clone() });
            store.import_bars(&[], &batch).await
        }));
    }
    for t in tasks {
        t.await.expect("task").expect("every concurrent import succeeds");
    }
    let codes: Vec<String> = market.bars.iter().map(|b| b.symbol.clone()).collect();
    let got = store.read_latest_bars(&codes, "1d", 1_000, i64::MAX).await.unwrap();
    for b in &market.bars {
        assert_eq!(got[&b.symbol], b.bars, "{}", b.symbol);
    }
    let shared = store.read_bars("SHARED", "1d", &BarRange::default()).await.unwrap();
    assert_eq!(shared.len(), 120);
}

async fn indicator_values_upsert_range_latest_delete(store: Arc<dyn Store>, _url: &str) {
    let row = |symbol: &str, ts: i64, v: f64| IndicatorRow {
        symbol: symbol.into(),
        code: "MACD".into(),
        params_hash: "d7b32e6c".into(),
        freq: "1d".into(),
        ts,
        values: vec![Some(v), None, Some(-v)],
        computed_at: Some(1_700_000_000 + ts),
        span: 250,
        bars_rev: 7,
    };
    let rows: Vec<_> = (0..5).flat_map(|i| [row("A", i, i as f64), row("B", i, 10.0 + i as f64)]).collect();
    store.upsert_indicator_values(&rows).await.unwrap();
    store.upsert_indicator_values(&[row("A", 4, 99.5)]).await.unwrap();
    let a = store.read_indicator_values("A", "MACD", "d7b32e6c", "1d", 250, &BarRange::default()).await.unwrap();
    assert_eq!(a.len(), 5);
    // Values come back bit for bit, the awkward ones included.
    let hard = [0.1 + 0.2, 1.0 / 3.0, 5e-324, 2.2250738585072014e-308, f64::MAX, -0.0, 1e16, 123456.789e-20];
    let mut exact = row("X", 1, 0.0);
    exact.code = "STDDEV".into(); // kept apart from the MACD rows checked below
    exact.values = hard.iter().map(|&v| Some(v)).chain([None]).collect();
    store.upsert_indicator_values(std::slice::from_ref(&exact)).await.unwrap();
    let back = store.read_indicator_values("X", "STDDEV", "d7b32e6c", "1d", 250, &BarRange::default()).await.unwrap();
    let bits = |v: &[Option<f64>]| v.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>();
    assert_eq!(bits(&back[0].values), bits(&exact.values), "{}", store.backend());
    assert_eq!(a[4].values, vec![Some(99.5), None, Some(-99.5)], "upsert replaced, nulls kept");
    let ranged = store
        .read_indicator_values(
            "A",
            "MACD",
            "d7b32e6c",
            "1d",
            250,
            &BarRange { start: Some(1), end: Some(3), limit: Some(2) },
        )
        .await
        .unwrap();
    assert_eq!(ranged.iter().map(|r| r.ts).collect::<Vec<_>>(), vec![2, 3]);
    let latest = store.latest_indicator_values("MACD", "d7b32e6c", "1d", 250, &[]).await.unwrap();
    let by: HashMap<_, _> = latest.iter().map(|r| (r.symbol.as_str(), (r.ts, r.values[0]))).collect();
    assert_eq!(by, HashMap::from([("A", (4, Some(99.5))), ("B", (4, Some(14.0)))]));
    let only_b = store.latest_indicator_values("MACD", "d7b32e6c", "1d", 250, &["B".into()]).await.unwrap();
    assert_eq!(only_b.len(), 1);
    assert_eq!(store.delete_indicator_values(&["A".to_string()]).await.unwrap(), 5);
    assert!(store
        .read_indicator_values("A", "MACD", "d7b32e6c", "1d", 250, &BarRange::default())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.latest_indicator_values("MACD", "d7b32e6c", "1d", 250, &[]).await.unwrap().len(), 1);
    // Spans are apart: a full-series result never reads as the window's rows or back.
    assert!(store
        .read_indicator_values("B", "MACD", "d7b32e6c", "1d", 0, &BarRange::default())
        .await
        .unwrap()
        .is_empty());
    // Replacing a result leaves exactly the new rows, old ones at other bars gone.
    let full = |ts: i64, rev: i64| IndicatorRow { span: 0, bars_rev: rev, ..row("B", ts, 1.0) };
    store.replace_indicator_values(&(0..6).map(|t| full(t, 1)).collect::<Vec<_>>()).await.unwrap();
    store.replace_indicator_values(&(2..5).map(|t| full(t, 2)).collect::<Vec<_>>()).await.unwrap();
    let now = store.read_indicator_values("B", "MACD", "d7b32e6c", "1d", 0, &BarRange::default()).await.unwrap();
    assert_eq!(now.iter().map(|r| (r.ts, r.bars_rev)).collect::<Vec<_>>(), vec![(2, 2), (3, 2), (4, 2)]);
    let window = store.read_indicator_values("B", "MACD", "d7b32e6c", "1d", 250, &BarRange::default()).await.unwrap();
    assert_eq!(window.len(), 5, "the window's rows are untouched");
}

async fn every_write_of_bars_gives_its_series_a_new_revision(store: Arc<dyn Store>, _url: &str) {
    assert_eq!(store.series_state("A", "1d").await.unwrap(), SeriesState { symbol_known: false, rev: None });
    let start = store.latest_rev().await.unwrap();
    let bars = |symbol: &str, n: i64, close: f64| SymbolBars {
        symbol: symbol.into(),
        freq: "1d".into(),
        bars: (0..n)
            .map(|i| Bar { ts: i * 86_400, open: close, high: close, low: close, close, volume: 1.0 })
            .collect(),
    };
    let first = store.import_bars(&[], &[bars("A", 3, 1.0), bars("B", 2, 1.0)]).await.unwrap();
    assert!(first.rev > start, "{} > {start}", first.rev);
    assert_eq!(store.latest_rev().await.unwrap(), first.rev);
    assert_eq!(store.series_state("A", "1d").await.unwrap(), SeriesState { symbol_known: true, rev: Some(first.rev) });
    assert_eq!(store.series_state("A", "15m").await.unwrap(), SeriesState { symbol_known: true, rev: None });
    let second = store.import_bars(&[], &[bars("A", 4, 2.0)]).await.unwrap();
    assert!(second.rev > first.rev);
    let revs = store.series_revs(&["A".into(), "B".into(), "C".into()], "1d").await.unwrap();
    assert_eq!(revs, HashMap::from([("A".to_string(), second.rev), ("B".to_string(), first.rev)]));
    let changed = store.series_changed_since(first.rev, 100).await.unwrap();
    assert_eq!(changed.iter().map(|c| (c.symbol.as_str(), c.rev)).collect::<Vec<_>>(), vec![("A", second.rev)]);
    assert_eq!(store.series_changed_since(start, 100).await.unwrap().len(), 2);
    let span = store.bar_span("A", "1d").await.unwrap().unwrap();
    assert_eq!((span.bars, span.first_ts, span.last_ts), (4, 0, 3 * 86_400));
    assert_eq!(store.bar_span("A", "1w").await.unwrap(), None);
}

async fn jobs_upsert_and_read(store: Arc<dyn Store>, _url: &str) {
    let mut job = JobRecord {
        task_id: "calc_1".into(),
        task_type: "batch_daily".into(),
        status: JobStatus::Running,
        progress: 1.0,
        processed: 50,
        total: 5000,
        failed: 0,
        started_at: Some(1_700_000_000),
        finished_at: None,
        result: None,
        spec: Some(serde_json::json!({"symbols": ["000001", "000002"], "until": null})),
    };
    store.upsert_job(&job).await.unwrap();
    assert_eq!(store.job("calc_1").await.unwrap().as_ref(), Some(&job));
    job.status = JobStatus::Completed;
    job.progress = 100.0;
    job.processed = 5000;
    job.finished_at = Some(1_700_000_004);
    job.result = Some(serde_json::json!({"success": 4988, "failed": 12}));
    let spec = job.spec.take();
    store.upsert_job(&job).await.unwrap();
    job.spec = spec;
    assert_eq!(store.job("calc_1").await.unwrap(), Some(job.clone()), "a later save keeps the spec");
    assert_eq!(store.job("nope").await.unwrap(), None);
    let mut newer = job.clone();
    newer.task_id = "calc_2".into();
    newer.started_at = Some(1_700_000_100);
    store.upsert_job(&newer).await.unwrap();
    let listed = store.list_jobs(10).await.unwrap();
    assert_eq!(listed.iter().map(|j| j.task_id.as_str()).collect::<Vec<_>>(), vec!["calc_2", "calc_1"]);
    assert!(listed.iter().all(|j| j.spec.is_none()), "lists leave the symbol lists out");
    assert_eq!(store.list_jobs(1).await.unwrap().len(), 1);
}

async fn symbols_list_and_migrations_are_idempotent(store: Arc<dyn Store>, url: &str) {
    let syms: Vec<Symbol> = ["000002", "000001", "600519"]
        .iter()
        .map(|c| Symbol { code: c.to_string(), name: format!("n{c}"), exchange: "SZ".into(), listed_on: None })
        .collect();
    store.upsert_symbols(&syms).await.unwrap();
    let codes: Vec<_> = store.list_symbols(10, 0).await.unwrap().into_iter().map(|s| s.code).collect();
    assert_eq!(codes, ["000001", "000002", "600519"]);
    let page: Vec<_> = store.list_symbols(1, 1).await.unwrap().into_iter().map(|s| s.code).collect();
    assert_eq!(page, ["000002"]);
    // Search: a code prefix or a part of the name, ASCII case ignored; LIKE's wildcards
    // are literal characters.
    let mut named = syms[2].clone();
    named.name = "Kweichow Moutai 贵州茅台".into();
    store.upsert_symbols(&[named]).await.unwrap();
    let find = |q: &'static str| {
        let store = store.clone();
        async move { store.find_symbols(q, 10, 0).await.unwrap().into_iter().map(|s| s.code).collect::<Vec<_>>() }
    };
    assert_eq!(find("0000").await, ["000001", "000002"]);
    assert_eq!(find("moutai").await, ["600519"]);
    assert_eq!(find("茅台").await, ["600519"]);
    assert_eq!(find("n000002").await, ["000002"]);
    assert!(find("%").await.is_empty() && find("_").await.is_empty() && find("\\").await.is_empty());
    assert!(find("519").await.is_empty(), "a code matches by prefix only");
    assert_eq!(store.find_symbols("0", 1, 1).await.unwrap()[0].code, "000002");
    // Opening again runs the migrations again: a no-op that keeps the data.
    let again = store::open(url).await.expect("second open");
    assert_eq!(again.list_symbols(10, 0).await.unwrap().len(), 3);
    again.ping().await.unwrap();
}

/// Above 100k rows into an empty table, PostgreSQL loads without indexes and builds them
/// after; the key must be back (re-import updates, never duplicates) and reads right.
async fn a_large_first_load_keeps_the_key_and_reimports(store: Arc<dyn Store>, _url: &str) {
    let mut market = generate(500, 250, 3);
    let total: usize = market.bars.iter().map(|b| b.bars.len()).sum();
    assert!(total > 100_000, "large enough for the bulk path: {total}");
    let stats = store.import_bars(&market.symbols, &market.bars).await.unwrap();
    assert_eq!(stats.bars, total);
    market.bars[7].bars[3].close += 1.0;
    store.import_bars(&[], &market.bars[7..8]).await.unwrap();
    store.import_bars(&[], &market.bars[..50]).await.unwrap();
    let codes: Vec<String> = market.bars.iter().map(|b| b.symbol.clone()).collect();
    let got = store.read_latest_bars(&codes, "1d", 10_000, i64::MAX).await.unwrap();
    let stored: usize = got.values().map(Vec::len).sum();
    assert_eq!(stored, total, "no duplicates after re-imports");
    for b in &market.bars {
        assert_eq!(got[&b.symbol], b.bars, "{}", b.symbol);
    }
}
