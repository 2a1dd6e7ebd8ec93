//! The tiered cache against a real Redis (a private `redis-server` per test, killed and
//! restarted for the failure tests) and a real SQLite store as L3. No mock anywhere.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{link, RedisServer};
use mystocks::cache::l2::L2;
use mystocks::cache::tiered::CacheOptions;
use mystocks::cache::{compute_result, CacheError, IndicatorRequest, Mode, Source, TieredCache};
use mystocks::demo::generate;
use mystocks::redis_link::BreakerState;
use mystocks::store::{self, BarRange, Store, FULL_SERIES};
use redis::Commands;

fn options() -> CacheOptions {
    CacheOptions {
        prefix: "mystocks:".into(),
        pubsub_prefix: "mystocks:".into(),
        l1_ttl: Duration::from_secs(300),
        l1_max_entries: 10_000,
        l2_ttl: Duration::from_secs(3600),
        change_poll: None,
    }
}

async fn store_with_market(dir: &tempfile::TempDir) -> Arc<dyn Store> {
    let store = store::open(&format!("sqlite://{}/t.db", dir.path().display())).await.unwrap();
    let m = generate(30, 200, 4);
    store.import_bars(&m.symbols, &m.bars).await.unwrap();
    store
}

async fn cache(store: &Arc<dyn Store>, redis: Option<&str>) -> TieredCache {
    let l2 = redis.map(|url| L2::new(link(url)));
    TieredCache::new(options(), store.clone(), store.clone(), l2, redis.is_some()).await
}

fn req(symbol: &str, code: &str) -> IndicatorRequest {
    IndicatorRequest::new::<&str>(symbol, code, &[], "1d").unwrap()
}

/// A loader that computes from the store and counts its runs.
async fn get(
    cache: &TieredCache,
    store: &Arc<dyn Store>,
    r: &IndicatorRequest,
    runs: &Arc<AtomicUsize>,
) -> Result<Source, Arc<CacheError>> {
    let (store, r2, runs) = (store.clone(), r.clone(), runs.clone());
    cache
        .get_or_load(r, move || async move {
            runs.fetch_add(1, Ordering::SeqCst);
            if store.symbol(&r2.symbol).await?.is_none() {
                return Err(CacheError::UnknownSymbol(r2.symbol.clone()));
            }
            let bars = store.read_bars(&r2.symbol, "1d", &BarRange::default()).await?;
            compute_result(&r2, &bars)
        })
        .await
        .map(|(_, s)| s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_ttls_and_backfill_from_each_tier() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_market(&dir).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let r = req("000001", "MACD");
    let key = "mystocks:ind:000001:MACD:d7b32e6c";

    let a = cache(&store, Some(&redis.url())).await;
    assert_eq!(a.key(&r), key);
    assert_eq!(get(&a, &store, &r, &runs).await.unwrap(), Source::Computed);
    a.flush().await;
    assert_eq!(get(&a, &store, &r, &runs).await.unwrap(), Source::L1);
    let mut conn = redis.conn();
    let ttl: i64 = conn.ttl(key).unwrap();
    assert!((3600..=3900).contains(&ttl), "TTL {ttl} is REDIS_CACHE_TTL plus 0..300 s of jitter");
    let text: String = conn.get(key).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["params_hash"], "d7b32e6c");
    assert!(doc.get("source").is_none(), "source is never stored");
    let rows = store
        .read_indicator_values("000001", "MACD", "d7b32e6c", "1d", FULL_SERIES, &BarRange::default())
        .await
        .unwrap();
    assert_eq!(rows.len(), 200, "computed results reach L3");

    let b = cache(&store, Some(&redis.url())).await;
    assert_eq!(get(&b, &store, &r, &runs).await.unwrap(), Source::L2, "a second instance reads L2");
    assert!(b.l1_contains(key), "an L2 hit fills L1");

    let _: () = conn.del(key).unwrap();
    let c = cache(&store, Some(&redis.url())).await;
    assert_eq!(get(&c, &store, &r, &runs).await.unwrap(), Source::L3);
    assert!(c.l1_contains(key), "an L3 hit fills L1");
    assert!(conn.exists::<_, bool>(key).unwrap(), "and L2");
    assert_eq!(get(&c, &store, &r, &runs).await.unwrap(), Source::L1);
    assert_eq!(runs.load(Ordering::SeqCst), 1, "computed once in all");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_misses_run_the_loader_once() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_market(&dir).await;
    let c = cache(&store, Some(&redis.url())).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let r = req("600000", "RSI");
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let (c, store, r, runs) = (c.clone(), store.clone(), r.clone(), runs.clone());
            tokio::spawn(async move { get(&c, &store, &r, &runs).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_load_does_not_write_back_after_an_invalidation() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_market(&dir).await;
    let a = cache(&store, Some(&redis.url())).await;
    let b = cache(&store, Some(&redis.url())).await;
    let r = req("300001", "ATR");
    let key = a.key(&r);
    let started = Arc::new(tokio::sync::Notify::new());
    let release = Arc::new(tokio::sync::Notify::new());
    let slow = {
        let (a, r, store, started, release) = (a.clone(), r.clone(), store.clone(), started.clone(), release.clone());
        tokio::spawn(async move {
            let inner = r.clone();
            a.get_or_load(&r, || async move {
                let bars = store.read_bars(&inner.symbol, "1d", &BarRange::default()).await?;
                let value = compute_result(&inner, &bars)?;
                started.notify_one();
                release.notified().await;
                Ok(value)
            })
            .await
        })
    };
    started.notified().await;
    // Another instance invalidates while the first is still loading.
    b.invalidate("300001").await.unwrap();
    release.notify_one();
    let (_, source) = slow.await.unwrap().unwrap();
    assert_eq!(source, Source::Computed, "the caller still gets its value");
    a.flush().await;
    assert!(!a.l1_contains(&key), "not written to L1");
    assert!(!redis.conn().exists::<_, bool>(&key).unwrap(), "not written to L2");
    let rows = store
        .read_indicator_values("300001", "ATR", &r.params_hash, "1d", FULL_SERIES, &BarRange::default())
        .await
        .unwrap();
    assert!(rows.is_empty(), "not written to L3");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalidation_reaches_every_instance() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_market(&dir).await;
    let a = cache(&store, Some(&redis.url())).await;
    let b = cache(&store, Some(&redis.url())).await;
    a.wait_subscribed(1).await;
    b.wait_subscribed(1).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let r = req("601000", "KDJ");
    let key = a.key(&r);
    get(&a, &store, &r, &runs).await.unwrap();
    a.flush().await;
    assert_eq!(get(&b, &store, &r, &runs).await.unwrap(), Source::L2);
    assert!(b.l1_contains(&key));
    let mut heard = b.remote_invalidations();
    a.invalidate("601000").await.unwrap();
    assert_eq!(heard.recv().await.unwrap(), "601000");
    assert!(!b.l1_contains(&key), "the other instance dropped its L1 entry");
    assert!(!a.l1_contains(&key));
    assert!(!redis.conn().exists::<_, bool>(&key).unwrap(), "L2 cleared");
    let rows = store
        .read_indicator_values("601000", "KDJ", &r.params_hash, "1d", FULL_SERIES, &BarRange::default())
        .await
        .unwrap();
    assert!(rows.is_empty(), "L3 rows deleted");
    assert_eq!(get(&b, &store, &r, &runs).await.unwrap(), Source::Computed, "the next read rebuilds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_stream_no_read_fails_and_recovery_needs_no_restart() {
    let mut redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_market(&dir).await;
    let c = cache(&store, Some(&redis.url())).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let symbols: Vec<String> = generate(30, 1, 4).symbols.into_iter().map(|s| s.code).collect();
    for s in &symbols[..10] {
        get(&c, &store, &req(s, "SMA"), &runs).await.unwrap();
    }
    assert_eq!(c.mode(), Mode::Distributed);
    let mut failures = 0;
    let mut reads = 0;
    for (round, code) in ["SMA", "EMA", "RSI"].iter().enumerate() {
        if round == 1 {
            redis.kill();
        }
        for s in &symbols {
            reads += 1;
            if get(&c, &store, &req(s, code), &runs).await.is_err() {
                failures += 1;
            }
        }
    }
    assert_eq!(failures, 0, "{reads} reads, none failed while Redis died");
    let l2 = c.l2().unwrap();
    assert_ne!(l2.link().breaker().state(), BreakerState::Closed, "the breaker opened");
    assert_eq!(c.mode(), Mode::Degraded);
    assert!(c.stats().breaker.unwrap().opened >= 1);

    redis.restart();
    tokio::time::timeout(Duration::from_secs(10), l2.link().breaker().wait_for(BreakerState::Closed))
        .await
        .expect("the breaker closes by itself once Redis answers");
    assert_eq!(c.mode(), Mode::Distributed);
    // Back on the invalidation channel too (which empties L1: messages may have been
    // missed, and loads in flight then do not write back).
    tokio::time::timeout(Duration::from_secs(10), c.wait_subscribed(2)).await.expect("resubscribed");
    let r = req(&symbols[3], "WILLR");
    assert_eq!(get(&c, &store, &r, &runs).await.unwrap(), Source::Computed);
    assert!(redis.conn().exists::<_, bool>(c.key(&r)).unwrap(), "L2 fills again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_at_start_degrades_and_embedded_mode_needs_none() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_market(&dir).await;
    // Nothing listens on this port: Redis is down from the start.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = cache(&store, Some(&format!("redis://127.0.0.1:{dead}/0"))).await;
    let runs = Arc::new(AtomicUsize::new(0));
    for code in ["SMA", "EMA", "RSI", "ATR"] {
        assert_eq!(get(&c, &store, &req("000001", code), &runs).await.unwrap(), Source::Computed);
    }
    assert_eq!(get(&c, &store, &req("000001", "SMA"), &runs).await.unwrap(), Source::L1);
    assert_eq!(c.mode(), Mode::Degraded);

    let e = cache(&store, None).await;
    assert_eq!(e.mode(), Mode::Embedded);
    e.flush().await;
    c.flush().await;
    assert_eq!(get(&e, &store, &req("000001", "SMA"), &runs).await.unwrap(), Source::L3);
    assert_eq!(get(&e, &store, &req("000001", "SMA"), &runs).await.unwrap(), Source::L1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_symbols_are_remembered_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_market(&dir).await;
    let c = cache(&store, None).await;
    let runs = Arc::new(AtomicUsize::new(0));
    for _ in 0..5 {
        let err = get(&c, &store, &req("NOSUCH", "RSI"), &runs).await.unwrap_err();
        assert!(matches!(*err, CacheError::UnknownSymbol(_)), "{err}");
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0, "the store's series state says unknown before any computation");
    assert_eq!(c.stats().negative_hits, 4, "repeated misses do not reach the store");
}

/// A batch job's L2 write is refused for a symbol invalidated (its bars rewritten) after
/// the job read its generation: the job's values of the old bars never land in L2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_write_after_an_invalidation_is_refused() {
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_market(&dir).await;
    let c = cache(&store, Some(&redis.url())).await;
    let symbols = vec!["000001".to_string(), "000002".to_string()];
    let read_before = c.remote_generations(&symbols).await.expect("Redis is up");
    // The bars of 000001 are rewritten while the batch computes.
    c.invalidate("000001").await.unwrap();
    let items = symbols
        .iter()
        .map(|s| (c.key(&req(s, "RSI")), s.clone(), format!("{{\"symbol\":\"{s}\"}}")))
        .collect::<Vec<_>>();
    c.put_batch_l2(items, &read_before).await;
    let mut conn = redis.conn();
    let stale: Option<String> = conn.get(c.key(&req("000001", "RSI"))).unwrap();
    assert_eq!(stale, None, "the invalidated symbol's value was refused");
    let kept: Option<String> = conn.get(c.key(&req("000002", "RSI"))).unwrap();
    assert_eq!(kept.as_deref(), Some("{\"symbol\":\"000002\"}"), "the other one was written");
    let ttl: i64 = conn.ttl(c.key(&req("000002", "RSI"))).unwrap();
    assert!(ttl > 3600, "with the L2 TTL and its jitter: {ttl}");
}
