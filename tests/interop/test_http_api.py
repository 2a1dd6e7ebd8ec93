"""Every route of the HTTP API, success and error cases, as an HTTP client (httpx) sees
them: on SQLite and PostgreSQL, with and without Redis. Numbers are checked against
TA-Lib itself; events against a redis-py subscriber."""
import json
import time

import httpx
import numpy as np
import pytest
import talib

from conftest import PREFIX, Engine, RedisServer, market_csv, pyref_bars

COMBOS = [("sqlite", False), ("sqlite", True), ("postgres", False), ("postgres", True)]


@pytest.fixture(params=COMBOS, ids=[f"{s}{'+redis' if r else ''}" for s, r in COMBOS])
def deployment(request, tmp_path, serve):
    store, with_redis = request.param
    redis = RedisServer(tmp_path) if with_redis else None
    engine = Engine(tmp_path, redis.url if redis else None)
    if store == "postgres":
        engine.env["DATABASE_URL"] = request.getfixturevalue("pg_database").replace("postgresql://", "postgres://")
    csv = market_csv(tmp_path / "m.csv", symbols=5, days=120)
    engine.run("import", str(csv))
    server = serve(engine)
    yield server, engine, redis, csv
    assert server.stop() == 0, server.stderr()
    if redis:
        redis.stop()


def error_of(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    return body["error"]["message"]


def test_every_route_answers_and_refuses_as_documented(deployment):
    server, engine, redis, csv = deployment
    with httpx.Client(base_url=server.url, timeout=30) as c:
        # Health and mode.
        health = c.get("/api/health").json()
        assert health["status"] == "ok" and health["database"] == "ok"
        assert health["mode"] == ("distributed" if redis else "embedded"), health
        assert c.get("/api/health").headers.get("x-request-id"), "every response carries a request id"

        # Symbols.
        page = c.get("/api/stocks", params={"limit": 2, "offset": 1}).json()
        assert [s["code"] for s in page["stocks"]] == ["000002", "000003"] and page["limit"] == 2
        assert "limit" in error_of(c.get("/api/stocks", params={"limit": 0}), 422, "invalid")
        error_of(c.get("/api/stocks", params={"limit": "x"}), 422, "invalid")
        assert "nope" in error_of(c.get("/api/stocks", params={"nope": 1}), 422, "invalid")

        # Catalog.
        catalog = c.get("/api/indicators/catalog").json()["indicators"]
        macd = next(e for e in catalog if e["code"] == "MACD")
        assert macd["outputs"] == ["macd", "macdsignal", "macdhist"] and macd["inputs"] == ["close"]
        assert macd["params"][0] == {"name": "fastperiod", "type": "integer", "default": 12, "min": 2, "max": 100000}

        # One indicator: TA-Lib's numbers, computed once, then from L1.
        bars = pyref_bars(csv, "000001")
        want = talib.RSI(bars["close"], timeperiod=14)
        first = c.get("/api/indicators/000001/RSI", params={"timeperiod": 14})
        assert first.status_code == 200, first.text
        got = first.json()
        assert got["source"] == "computed" and got["params_hash"] == "5b300e9e" and got["lookback"] == 14
        assert got["dates"] == bars["dates"]
        values = np.array([np.nan if v is None else v for v in got["outputs"]["real"]])
        assert np.array_equal(values, want, equal_nan=True), "bit for bit TA-Lib"
        second = c.get("/api/indicators/000001/rsi?timeperiod=14")
        assert second.json()["source"] == "l1"
        assert second.json()["outputs"] == got["outputs"]
        etag = second.headers["etag"]
        assert etag == first.headers["etag"], "the validator names the value, not the tier"
        again = c.get("/api/indicators/000001/RSI?timeperiod=14", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        gz = c.get("/api/indicators/000001/RSI?timeperiod=14", headers={"Accept-Encoding": "gzip"})
        assert gz.headers.get("content-encoding") == "gzip" and gz.json()["outputs"] == got["outputs"]
        # Slices of the cached full series, without recomputing it.
        computed_before = c.get("/api/cache/stats").json()["computations"]
        part = c.get("/api/indicators/000001/RSI", params={"timeperiod": 14, "start": bars["dates"][10],
                                                            "end": bars["dates"][20], "limit": 5}).json()
        assert part["dates"] == bars["dates"][16:21] and part["outputs"]["real"] == got["outputs"]["real"][16:21]
        assert c.get("/api/cache/stats").json()["computations"] == computed_before
        # Refusals, each naming what is wrong.
        assert "`bogus`" in error_of(c.get("/api/indicators/000001/RSI?bogus=1"), 422, "invalid")
        assert "more than once" in error_of(c.get("/api/indicators/000001/RSI?timeperiod=5&timeperiod=6"), 422,
                                            "invalid")
        assert "out of range" in error_of(c.get("/api/indicators/000001/RSI?timeperiod=1"), 422, "invalid")
        error_of(c.get("/api/indicators/000001/RSI?timeperiod=abc"), 422, "invalid")
        assert "start is after the end" in error_of(
            c.get("/api/indicators/000001/RSI?start=2024-01-02&end=2023-01-02"), 422, "invalid")
        error_of(c.get("/api/indicators/000001/RSI?limit=0"), 422, "invalid")
        error_of(c.get("/api/indicators/000001/RSI?freq=0d"), 422, "invalid")
        error_of(c.get("/api/indicators/000001/RSI?start=yesterday"), 422, "invalid")
        assert "NOPE1" in error_of(c.get("/api/indicators/NOPE1/RSI"), 404, "not_found")
        assert "catalog" in error_of(c.get("/api/indicators/000001/NOPE"), 404, "not_found")
        error_of(c.get("/api/indicators/bad%20symbol/RSI"), 422, "invalid")
        error_of(c.get("/api/indicators/a*b/RSI"), 422, "invalid")
        # No bars at that frequency: an empty answer, not an error.
        empty = c.get("/api/indicators/000001/SMA?freq=15m").json()
        assert empty["dates"] == [] and empty["outputs"] == {"real": []}

        # A set.
        body = {"indicators": [{"code": "MACD"}, {"code": "sma", "params": {"timeperiod": 5}},
                               {"code": "BBANDS", "params": {"nbdevup": "2.5"}}]}
        results = c.post("/api/indicators/000002", json=body).json()
        assert results["symbol"] == "000002" and [r["code"] for r in results["results"]] == ["MACD", "SMA", "BBANDS"]
        sma = np.array([np.nan if v is None else v for v in results["results"][1]["outputs"]["real"]])
        assert np.array_equal(sma, talib.SMA(pyref_bars(csv, "000002")["close"], timeperiod=5), equal_nan=True)
        assert results["results"][2]["params"]["nbdevup"] == 2.5
        error_of(c.post("/api/indicators/000002", content=b"{bad", headers={"content-type": "application/json"}), 400,
                 "bad_request")
        error_of(c.post("/api/indicators/000002", content=json.dumps(body), headers={"content-type": "text/plain"}),
                 415, "unsupported_media_type")
        assert "`extra`" in error_of(c.post("/api/indicators/000002", json={**body, "extra": 1}), 422, "invalid")
        error_of(c.post("/api/indicators/000002", json=[1, 2]), 422, "invalid")
        error_of(c.post("/api/indicators/000002", json={"indicators": []}), 422, "invalid")
        assert "indicators[1]" in error_of(
            c.post("/api/indicators/000002", json={"indicators": [{"code": "SMA"}, {"code": "NOPE"}]}), 404,
            "not_found")
        error_of(c.post("/api/indicators/NOPE1", json=body), 404, "not_found")
        error_of(c.post("/api/indicators/000002", content=b"x" * (3 * 1024 * 1024),
                        headers={"content-type": "application/json"}), 413, "payload_too_large")

        # Bars.
        kline = c.get("/api/market/kline/000003", params={"limit": 3})
        assert kline.status_code == 200
        k = kline.json()
        assert [b["date"] for b in k["bars"]] == pyref_bars(csv, "000003")["dates"][-3:]
        assert c.get("/api/market/kline/000003?limit=3", headers={"If-None-Match": kline.headers["etag"]}).status_code == 304
        assert c.get("/api/market/kline/000003?freq=15m").json()["bars"] == []
        error_of(c.get("/api/market/kline/NOPE1"), 404, "not_found")
        error_of(c.get("/api/market/kline/000003?limit=-1"), 422, "invalid")
        error_of(c.get("/api/market/kline/000003?other=1"), 422, "invalid")

        # Quotes: stored, cached, announced.
        sub = None
        if redis:
            sub = redis.client.pubsub()
            sub.subscribe(f"{PREFIX}events:market:000004")
            assert sub.get_message(timeout=5)["type"] == "subscribe"
        error_of(c.get("/api/market/quote/000004"), 404, "not_found")
        quotes = [{"symbol": "000004", "price": 10.5, "volume": 1000, "ts": "2026-12-03T09:30:00Z"},
                  {"symbol": "000004", "price": 10.4, "volume": 900, "ts": 1796290000},
                  {"symbol": "000005", "price": 8.25, "volume": 10, "ts": "2026-12-03T09:30:01.500Z"}]
        stored = c.post("/api/market/quotes", json=quotes)
        assert stored.status_code == 200 and stored.json() == {"received": 3, "stored": 2}, stored.text
        quote = c.get("/api/market/quote/000004").json()
        assert quote == {"symbol": "000004", "price": 10.5, "volume": 1000.0, "ts": "2026-12-03T09:30:00.000Z",
                         "source": "l1"}
        # An older quote changes nothing.
        c.post("/api/market/quotes", json=[{"symbol": "000004", "price": 1.0, "volume": 1, "ts": "2020-01-01T00:00:00Z"}])
        assert c.get("/api/market/quote/000004").json()["price"] == 10.5
        if redis:
            assert json.loads(redis.client.get(f"{PREFIX}mkt:qt:000004"))["price"] == 10.5
            assert 0 < redis.client.ttl(f"{PREFIX}mkt:qt:000004") <= 5
            message = sub.get_message(timeout=5)
            event = json.loads(message["data"])
            assert event["event_type"] == "price.update" and event["symbol"] == "000004" and event["price"] == 10.5
            assert event["event_id"]
        for bad in ([], [{"symbol": "000004", "price": -1, "volume": 1, "ts": 1}],
                    [{"symbol": "000004", "price": 1, "volume": -1, "ts": 1}],
                    [{"symbol": "000004", "price": 1, "volume": 1, "ts": "yesterday"}],
                    [{"symbol": "NOPE1", "price": 1, "volume": 1, "ts": 1}],
                    [{"symbol": "a b", "price": 1, "volume": 1, "ts": 1}],
                    [{"symbol": "000004", "price": 1, "volume": 1}],
                    [{"symbol": "000004", "price": 1, "volume": 1, "ts": 1, "x": 2}],
                    {"symbol": "000004"}):
            error_of(c.post("/api/market/quotes", json=bad), 422, "invalid")
        error_of(c.get("/api/market/quote/a*b"), 422, "invalid")

        # The daily job: 202 at once, then completed.
        started = c.post("/api/jobs/daily")
        assert started.status_code == 202, started.text
        task = started.json()["task_id"]
        deadline = time.monotonic() + 60
        while (status := c.get(f"/api/jobs/{task}").json()).get("status") != "completed":
            assert status["status"] in ("pending", "running"), status
            assert time.monotonic() < deadline, status
            time.sleep(0.05)  # the task's state is only observable by asking for it
        assert (status["processed"], status["total"], status["failed"]) == (5, 5, 0)
        assert status["result"]["success"] == 5
        listed = c.get("/api/jobs", params={"limit": 5}).json()["jobs"]
        assert listed[0]["task_id"] == task
        some = c.post("/api/jobs/daily", json={"symbols": ["000001", "000002", "000001"], "date": "2023-03-01"})
        assert some.status_code == 202
        error_of(c.post("/api/jobs/daily", json={"date": "2023-02-30"}), 422, "invalid")
        error_of(c.post("/api/jobs/daily", json={"symbols": ["a b"]}), 422, "invalid")
        error_of(c.post("/api/jobs/daily", json={"symbols": []}), 422, "invalid")
        error_of(c.post("/api/jobs/daily", json={"when": "now"}), 422, "invalid")
        error_of(c.post("/api/jobs/daily", content=b"symbols", headers={"content-type": "text/plain"}), 415,
                 "unsupported_media_type")
        error_of(c.get("/api/jobs/calc_404"), 404, "not_found")
        error_of(c.get("/api/jobs/bad:id"), 422, "invalid")
        error_of(c.get("/api/jobs?limit=0"), 422, "invalid")

        # Cache: counters and invalidation on every tier.
        stats = c.get("/api/cache/stats").json()
        assert stats["l1"]["hits"] >= 2 and stats["computations"] >= 1
        gone = c.delete("/api/cache/000001").json()
        assert gone == {"symbol": "000001", "remote": "done" if redis else "not_configured"}
        assert c.get("/api/indicators/000001/RSI?timeperiod=14").json()["source"] == "computed"
        error_of(c.delete("/api/cache/NOPE1"), 404, "not_found")

        # Unknown routes and methods are JSON too.
        assert "no route" in error_of(c.get("/api/nope"), 404, "not_found")
        error_of(c.put("/api/health"), 405, "method_not_allowed")
        error_of(c.delete("/api/stocks"), 405, "method_not_allowed")

        # Metrics, by route template.
        text = c.get("/metrics").text
        assert 'mystocks_http_requests_total{route="/api/indicators/{symbol}/{code}",method="GET",status="200"}' in text
        assert "mystocks_http_request_duration_seconds_bucket{" in text
        assert 'mystocks_cache_hits_total{tier="l1"}' in text and "mystocks_computations_total" in text
        assert "mystocks_ws_connections" in text

        # The document and the docs page, offline.
        doc = c.get("/openapi.json").json()
        assert set(doc["paths"]) >= {"/api/health", "/api/stocks", "/api/market/quote/{symbol}", "/api/market/quotes",
                                     "/api/market/kline/{symbol}", "/api/indicators/catalog",
                                     "/api/indicators/{symbol}/{code}", "/api/indicators/{symbol}", "/api/jobs/daily",
                                     "/api/jobs", "/api/jobs/{task_id}", "/api/cache/stats", "/api/cache/{symbol}"}
        page = c.get("/docs/")
        assert page.status_code == 200 and "swagger" in page.text.lower()
        assert "https://" not in page.text and "http://" not in page.text, "every asset from this server, no CDN"
        assert c.get("/docs/swagger-ui-bundle.js").status_code == 200
