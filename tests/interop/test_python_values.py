"""Values the replaced Python system writes to L2 ({symbol, code, params, dates, outputs}:
no params_hash, lookback, freq or computed_at) are read by the engine, completed from the
key, and kept; a narrower one (its 250-bar window of a longer series) never answers a
request for every bar and is replaced by the wider result, which Python clients read."""
import asyncio
import json

import redis.asyncio as aioredis

from conftest import PREFIX, free_port, market_csv, pyref_bars


def python_writes(url: str, symbol: str, code: str, bars: dict) -> tuple[str, dict]:
    """The Python system's own code computes the value and writes it to L2."""
    from cache import CacheManager
    from indicators import compute_indicator, normalize_params, params_hash

    params = normalize_params(code, {})
    value = compute_indicator(symbol, code, params, bars)
    key = f"{PREFIX}ind:{symbol}:{code}:{params_hash(params)}"

    async def write():
        client = aioredis.from_url(url)
        try:
            await CacheManager(client).l2_set(key, value)
        finally:
            await client.aclose()

    asyncio.run(write())
    return key, value


def test_a_python_value_is_read_completed_and_left_in_place(engine, redis_server, tmp_path):
    csv = market_csv(tmp_path / "m.csv", symbols=2, days=250)
    engine.run("import", str(csv))
    key, value = python_writes(redis_server.url, "000001", "MACD", pyref_bars(csv, "000001", last=250))
    assert key == f"{PREFIX}ind:000001:MACD:d7b32e6c", "the same key on both sides"
    stored = redis_server.client.get(key)

    got = engine.json("indicator", "000001", "MACD")
    assert got["source"] == "l2", got["source"]
    assert (got["params_hash"], got["freq"], got["lookback"]) == ("d7b32e6c", "1d", 33)
    assert got["params"] == {"fastperiod": 12, "signalperiod": 9, "slowperiod": 26}
    assert got["computed_at"] is None, "unknown, and said so"
    assert got["dates"] == value["dates"]
    assert got["outputs"] == value["outputs"]
    assert redis_server.client.get(key) == stored, "a valid value is not rewritten"
    # And it is what a fresh computation gives (TA-Lib's numbers, bit for bit).
    engine.run("cache", "invalidate", "000001")
    fresh = engine.json("indicator", "000001", "MACD")
    assert fresh["source"] == "computed"
    assert fresh["outputs"] == value["outputs"]


def test_a_narrower_python_value_is_replaced_by_every_bar_which_python_reads(engine, redis_server, tmp_path):
    csv = market_csv(tmp_path / "m.csv", symbols=2, days=300)
    engine.run("import", str(csv))
    # The Python system computes over its latest 250 bars.
    key, value = python_writes(redis_server.url, "000002", "RSI", pyref_bars(csv, "000002", last=250))
    assert len(value["dates"]) == 250

    got = engine.json("indicator", "000002", "RSI")
    assert got["source"] == "computed", "250 of 300 bars does not answer a request for every bar"
    assert len(got["dates"]) == 300
    wider = json.loads(redis_server.client.get(key))
    assert len(wider["dates"]) == 300 and wider["bars_rev"] >= 1, "the wider result replaced it"

    # A Python instance reads the engine's value through its own cache path.
    from cache import CacheManager

    async def python_reads():
        client = aioredis.from_url(redis_server.url)
        try:
            async def never():
                raise AssertionError("the Python side must find the value in L2")
            return await CacheManager(client).fetch(key, never)
        finally:
            await client.aclose()

    value, source = asyncio.run(python_reads())
    assert source == "l2"
    assert value["dates"] == got["dates"] and value["outputs"] == got["outputs"]
    # A narrower value arriving later does not displace what answers: the engine keeps
    # answering every bar.
    python_writes(redis_server.url, "000002", "RSI", pyref_bars(csv, "000002", last=250))
    again = engine.json("indicator", "000002", "RSI")
    assert len(again["dates"]) == 300


def test_bars_rewritten_while_redis_was_down_retire_the_python_value(engine, redis_server, tmp_path):
    """A Python value carries no revision: only the dates say what it covers. Bars
    corrected (same dates) while the engine could not reach Redis leave it in place; the
    engine must neither answer with it meanwhile nor leave it for Python clients once
    Redis is reachable again."""
    import copy

    csv = market_csv(tmp_path / "m.csv", symbols=2, days=120)
    engine.run("import", str(csv))
    key, value = python_writes(redis_server.url, "000001", "RSI", pyref_bars(csv, "000001"))
    assert engine.json("indicator", "000001", "RSI")["source"] == "l2", "valid before the correction"

    # Every close of 000001 corrected (same dates), imported with Redis out of reach.
    fixed = tmp_path / "fixed.csv"
    lines = csv.read_text().splitlines()
    out = [lines[0]]
    header = lines[0].split(",")
    at = {name: header.index(name) for name in ("symbol", "open", "high", "low", "close")}
    for i, line in enumerate(lines[1:]):
        row = line.split(",")
        if row[at["symbol"]] == "000001":
            # A shift that varies from bar to bar changes every difference RSI sees.
            for name in ("open", "high", "low", "close"):
                row[at[name]] = repr(round(float(row[at[name]]) + 0.37 * (i % 5), 2))
            out.append(",".join(row))
    fixed.write_text("\n".join(out) + "\n")
    offline = copy.copy(engine)
    offline.env = dict(engine.env, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    done = offline.run("import", str(fixed))
    assert "could not be told" in done.stderr or "unavailable" in done.stderr, done.stderr
    assert redis_server.client.get(key) is not None, "Redis was out of reach: the Python value is still there"

    # Back on Redis: the engine answers from the corrected bars, not the Python value...
    got = engine.json("indicator", "000001", "RSI")
    assert got["source"] == "computed", got["source"]
    assert got["outputs"]["real"] != value["outputs"]["real"], "the corrected bars changed RSI"
    engine.run("cache", "invalidate", "000001")
    assert engine.json("indicator", "000001", "RSI")["outputs"] == got["outputs"], "equal to a fresh computation"
    # ...and what a Python client now reads under the shared key is the corrected series.
    now = json.loads(redis_server.client.get(key))
    assert now["outputs"] == got["outputs"] and now["dates"] == got["dates"]
