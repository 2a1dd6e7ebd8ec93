"""Redis stays tidy, as a redis-py client sees it after a daily job, on-demand
computations, a rewrite of the bars, an invalidation and the benchmarks: every key has a
TTL except the fixed, MAXLEN-bounded channel streams, and every key under `ind:` is an
indicator result."""
import json

from conftest import PREFIX, market_csv

FIXED_STREAMS = {f"{PREFIX}events:{c}" for c in ("tasks", "indicators", "market", "system")}


def test_every_key_expires_or_is_bounded_and_ind_holds_only_results(engine, redis_server, tmp_path):
    csv = market_csv(tmp_path / "m.csv", symbols=30, days=120)
    engine.run("import", str(csv))
    engine.run("daily")
    for code in ("MACD", "RSI", "KDJ", "BBANDS"):
        engine.run("indicator", "000003", code)
    engine.run("bench", "clcc", "--keys", "3", "--requests", "30")
    engine.run("import", str(market_csv(tmp_path / "m2.csv", symbols=5, days=120, seed=7)))
    engine.run("cache", "invalidate", "000004")
    engine.run("daily", "--symbols", "000001,000002")
    before_bench = set(redis_server.client.scan_iter(count=1000))
    engine.run("bench", "cache", "--redis", redis_server.url, "--iterations", "2000")
    engine.run("bench", "lock", "--redis", redis_server.url, "--iterations", "200")
    assert set(redis_server.client.scan_iter(count=1000)) <= before_bench, "the benchmarks clean up"

    r = redis_server.client
    keys = sorted(r.scan_iter(count=1000))
    assert keys, "the run wrote to Redis"
    for key in keys:
        ttl = r.ttl(key)
        if key in FIXED_STREAMS:
            assert r.type(key) == "stream", key
            continue
        assert ttl > 0, f"{key} ({r.type(key)}) has no TTL"
        if key.startswith(f"{PREFIX}ind:"):
            value = json.loads(r.get(key))
            assert {"symbol", "code", "params", "dates", "outputs"} <= value.keys(), key
            assert value["dates"], f"{key}: an empty result was cached"
    # The bookkeeping has namespaces of its own.
    kinds = {k[len(PREFIX):].split(":")[0] for k in keys if k.startswith(PREFIX)}
    assert {"ind", "task", "events", "fence", "gen", "lock"} >= kinds, kinds
