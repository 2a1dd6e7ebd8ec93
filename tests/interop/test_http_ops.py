"""The HTTP server in operation, driven by HTTP clients (httpx, raw sockets) and
redis-py: bearer tokens on the write routes; three instances on one Redis computing each
key once under 300 concurrent cold requests; Redis killed under load with no failed
request; a graceful SIGTERM; and OpenAPI-driven fuzzing with schemathesis."""
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from conftest import Engine, RedisServer, jwt_token, market_csv


def test_write_routes_need_a_valid_bearer_token_when_a_secret_is_set(tmp_path, serve):
    engine = Engine(tmp_path, None)
    engine.run("demo-data", "--symbols", "3", "--days", "60")
    server = serve(engine, JWT_SECRET="s3cret-for-tests")
    quote = [{"symbol": "000001", "price": 10.0, "volume": 5, "ts": "2026-12-03T09:30:00Z"}]
    with httpx.Client(base_url=server.url, timeout=30) as c:
        def refused(response, says):
            assert response.status_code == 401, response.text
            assert response.headers["www-authenticate"] == "Bearer"
            body = response.json()["error"]
            assert body["code"] == "unauthorized" and says in body["message"], body

        refused(c.post("/api/market/quotes", json=quote), "needs a bearer token")
        refused(c.post("/api/market/quotes", json=quote, headers={"Authorization": "Basic abc"}), "Bearer <token>")
        refused(c.post("/api/market/quotes", json=quote, headers={"Authorization": "Bearer not.a.jwt"}), "malformed")
        wrong = jwt_token("another-secret")
        refused(c.post("/api/market/quotes", json=quote, headers={"Authorization": f"Bearer {wrong}"}), "signature")
        expired = jwt_token("s3cret-for-tests", expires_in=-60)
        refused(c.delete("/api/cache/000001", headers={"Authorization": f"Bearer {expired}"}), "expired")
        import jwt
        forever = jwt.encode({"sub": "x"}, "s3cret-for-tests", algorithm="HS256")
        refused(c.post("/api/jobs/daily", headers={"Authorization": f"Bearer {forever}"}), "`exp`")
        good = {"Authorization": f"Bearer {jwt_token('s3cret-for-tests')}"}
        assert c.post("/api/market/quotes", json=quote, headers=good).status_code == 200
        assert c.delete("/api/cache/000001", headers=good).status_code == 200
        assert c.post("/api/jobs/daily", headers=good).status_code == 202
        # Reads stay open.
        assert c.get("/api/market/quote/000001").status_code == 200
        assert c.get("/api/indicators/000001/MACD").status_code == 200
        assert c.get("/api/jobs").status_code == 200


def test_three_instances_compute_each_key_once_under_300_concurrent_cold_requests(tmp_path, serve, pg_database):
    redis = RedisServer(tmp_path)
    try:
        engine = Engine(tmp_path, redis.url)
        engine.env["DATABASE_URL"] = pg_database.replace("postgresql://", "postgres://")
        engine.run("demo-data", "--symbols", "20", "--days", "500")
        servers = [serve(engine) for _ in range(3)]
        codes = servers[0].symbols()
        assert len(codes) == 20, codes
        keys = [f"/api/indicators/{code}/MACD" for code in codes]

        async def load():
            limits = httpx.Limits(max_connections=400, max_keepalive_connections=0)
            async with httpx.AsyncClient(timeout=60, limits=limits) as c:
                async def one(i):
                    server = servers[i % 3]
                    key = keys[i % len(keys)]
                    response = await c.get(server.url + key)
                    return key, response

                return await asyncio.gather(*(one(i) for i in range(300)))

        answers = asyncio.run(load())
        failed = [(k, r.status_code, r.text[:200]) for k, r in answers if r.status_code != 200]
        assert not failed, failed
        by_key = {}
        for key, r in answers:
            body = r.json()
            by_key.setdefault(key, set()).add((tuple(body["dates"]), tuple(body["outputs"]["macd"])))
        assert all(len(v) == 1 for v in by_key.values()), "every answer to a key is the same"
        computations = [httpx.get(s.url + "/api/cache/stats").json()["computations"] for s in servers]
        assert sum(computations) == 20, computations
        for s in servers:
            assert s.stop() == 0
    finally:
        redis.stop()


def test_redis_killed_under_load_fails_no_request_and_recovers_without_restart(tmp_path, serve):
    redis = RedisServer(tmp_path)
    try:
        engine = Engine(tmp_path, redis.url)
        engine.run("demo-data", "--symbols", "40", "--days", "250")
        server = serve(engine)
        codes = ["MACD", "RSI", "SMA", "EMA", "BBANDS", "ATR", "KDJ", "WILLR"]
        urls = [f"/api/indicators/{s}/{c}" for s in server.symbols() for c in codes]
        failures, answered = [], 0
        with httpx.Client(base_url=server.url, timeout=30) as c:
            assert server.wait_for_mode("distributed")["status"] == "ok"
            for i, url in enumerate(urls):
                if i == len(urls) // 3:
                    redis.stop()  # SIGKILL, mid-load
                r = c.get(url)
                answered += 1
                if r.status_code != 200:
                    failures.append((url, r.status_code, r.text[:200]))
            assert not failures, failures
            degraded = server.wait_for_mode("degraded")
            assert degraded["status"] == "degraded" and degraded["redis"]["ok"] is False
            redis.start()
            back = server.wait_for_mode("distributed")
            assert back["status"] == "ok" and back["redis"]["breaker_opened"] >= 1
            # And Redis is used again: a fresh computation lands there.
            sym = server.symbols()[6]
            c.delete(f"/api/cache/{sym}")
            assert c.get(f"/api/indicators/{sym}/MACD").status_code == 200
            assert redis.client.exists(f"mystocks:ind:{sym}:MACD:d7b32e6c")
        assert answered == len(urls)
        assert server.stop() == 0
    finally:
        redis.stop()


def test_sigterm_lets_requests_in_flight_finish_and_exits_0(tmp_path, serve):
    engine = Engine(tmp_path, None)
    engine.run("demo-data", "--symbols", "30", "--days", "2000")
    server = serve(engine)
    host, port = server.url.removeprefix("http://").split(":")
    body = ('{"indicators":[' + ",".join(f'{{"code":"SMA","params":{{"timeperiod":{p}}}}}' for p in range(2, 42))
            + "]}").encode()
    sockets = []
    for code in server.symbols():
        s = socket.create_connection((host, int(port)))
        request = (f"POST /api/indicators/{code} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
        s.sendall(request)
        sockets.append(s)
    # Connections are accepted in order: once a later one is answered, the 30 above are
    # accepted and being served.
    assert httpx.get(server.url + "/api/health", timeout=30).status_code == 200
    def unanswered(s):
        try:
            return not s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return True

    server.proc.send_signal(signal.SIGTERM)
    in_flight = sum(unanswered(s) for s in sockets)
    assert in_flight > 0, "the signal came after every answer: nothing was in flight"
    for s in sockets:
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        s.close()
        assert data.startswith(b"HTTP/1.1 200"), data[:200]
        head, _, payload = data.partition(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
        assert len(payload) == length, "the whole answer arrived"
        assert len(json.loads(payload)["results"]) == 40
    assert server.proc.wait(timeout=30) == 0, server.stderr()
    assert "stopped" in server.proc.stdout.read()
    # New connections are refused once it is gone.
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/api/health", timeout=5)


def test_openapi_driven_fuzzing_finds_no_server_error_and_no_nonconforming_response(tmp_path, serve):
    engine = Engine(tmp_path, None)
    engine.run("import", str(market_csv(tmp_path / "m.csv", symbols=5, days=80)))
    server = serve(engine)
    st = os.path.join(os.path.dirname(sys.executable), "st")
    checks = ",".join(["not_a_server_error", "status_code_conformance", "content_type_conformance",
                       "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
                       "missing_required_header", "unsupported_method"])
    # One worker: with two threads, hypothesis's lambda descriptions parse source with
    # `ast` concurrently, which CPython 3.11 can fail ("AST constructor recursion depth
    # mismatch"), ending the run with a runtime error that is not the server's.
    done = subprocess.run(
        [st, "run", f"{server.url}/openapi.json", "--checks", checks, "--max-time", os.environ.get("MYSTOCKS_FUZZ_SECONDS", "60"),
         "--workers", "1", "--no-color"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert server.stop() == 0
