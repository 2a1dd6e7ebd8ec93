"""The WebSocket gateway (`/ws/events`, SPEC section 5) driven by the `websockets`
package (PyPI), raw sockets, httpx and redis-py against the real server: the protocol
message by message; replay across a reconnect while a job runs, with no gap and no
duplicate; `recovered: false` when the gap is gone; replay after Redis restarted empty;
a slow consumer cut while a fast one keeps everything; the priority lane; conflation;
an event crossing instances; JWT; Redis killed mid-stream; SIGTERM closing with 1001;
idle and flooding clients."""
import asyncio
import json
import signal
import socket
import time

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from conftest import PREFIX, Engine, RedisServer, jwt_token, progress_count


def ws_url(server, query: str = "") -> str:
    return server.url.replace("http://", "ws://") + "/ws/events" + (f"?{query}" if query else "")


async def recv(ws, timeout: float = 30) -> dict:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def until(ws, done, timeout: float = 60) -> list[dict]:
    """Messages up to and including the first for which `done` is true."""
    out = []
    while True:
        out.append(await recv(ws, timeout))
        if done(out[-1]):
            return out


async def closed(ws, timeout: float = 30) -> tuple[list[dict], int, str]:
    """Every message left, then the close code and reason."""
    out = []
    try:
        while True:
            out.append(json.loads(await asyncio.wait_for(ws.recv(), timeout)))
    except ConnectionClosed as e:
        return out, e.rcvd.code if e.rcvd else None, e.rcvd.reason if e.rcvd else None


def completed(event) -> bool:
    return event.get("event_type") == "task.completed"


def start_job(server, **body) -> str:
    r = httpx.post(server.url + "/api/jobs/daily", json=body, timeout=30)
    assert r.status_code == 202, r.text
    return r.json()["task_id"]


def quote(server, price: float, symbol: str = "000001", ts: str = "2026-12-03T09:30:00Z"):
    """Posts one quote (published as `price.update`)."""
    q = [{"symbol": symbol, "price": price, "volume": 1, "ts": ts}]
    r = httpx.post(server.url + "/api/market/quotes", json=q, timeout=30)
    assert r.status_code == 200, r.text


def hub_took(server, n: int):
    """Until the server's hub has taken `n` events from the bus."""
    deadline = time.monotonic() + 60
    while (got := httpx.get(server.url + "/ws/stats", timeout=10).json()["events_received"]) < n:
        assert time.monotonic() < deadline, got
        time.sleep(0.02)  # only observable by asking


def indicators_event(i: int, pad: int = 0) -> str:
    """A `stock.indicators.completed` as another publisher (the Python system) sends it."""
    return json.dumps({"event_type": "stock.indicators.completed", "timestamp": "2026-12-03T09:30:00Z",
                       "version": "1.0", "stock_code": f"{i:06d}", "indicators": ["SMA"] * (1 + pad),
                       "success_count": i, "failed_count": 0, "calculation_time_ms": 1.0, "from_cache_count": 0})


def price_event(symbol: str, price: float) -> str:
    return json.dumps({"event_type": "price.update", "timestamp": "2026-12-03T09:30:00Z", "version": "1.0",
                       "symbol": symbol, "price": price, "volume": 1.0, "ts": "2026-12-03T09:30:00Z"})


def task_event(task_id: str) -> str:
    return json.dumps({"event_type": "task.progress", "timestamp": "2026-12-03T09:30:00Z", "version": "1.0",
                       "task_id": task_id, "task_type": "batch_daily", "status": "running", "progress": 50.0,
                       "message": "half", "processed": 1, "total": 2, "failed": 0})


def slow_socket(server) -> socket.socket:
    """A connected TCP socket with a tiny receive buffer: a client on a slow link."""
    host, port = server.url.removeprefix("http://").split(":")
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((host, int(port)))
    return s


def key(event) -> tuple:
    return event["channel"], event["event_id"]


def id_of(event) -> tuple[int, int]:
    ms, seq = event["event_id"].split("-")
    return int(ms), int(seq)


# --- the protocol, message by message (embedded: the in-process bus) -------------------

def test_protocol_messages_and_bad_input_keep_the_connection(tmp_path, serve):
    engine = Engine(tmp_path, None)
    engine.run("demo-data", "--symbols", "3", "--days", "60")
    server = serve(engine)

    async def scenario():
        async with websockets.connect(ws_url(server)) as ws:
            hello = await recv(ws)
            assert hello["type"] == "connected" and hello["connection_id"]
            assert hello["channels"] == ["events:tasks", "events:system"] and "recovered" not in hello
            await ws.send(json.dumps({"type": "subscribe", "channels": ["events:market:000001", "events:indicators"]}))
            assert await recv(ws) == {"type": "subscribed", "channels": ["events:market:000001", "events:indicators"]}
            await ws.send(json.dumps({"type": "unsubscribe", "channels": ["events:indicators"]}))
            assert await recv(ws) == {"type": "unsubscribed", "channels": ["events:indicators"]}
            await ws.send(json.dumps({"type": "heartbeat"}))
            ack = await recv(ws)
            assert ack["type"] == "heartbeat_ack" and ack["timestamp"].endswith("Z")
            bad = [
                ("not json", "invalid_json"),
                (json.dumps({"type": "dance"}), "unknown_type"),
                (json.dumps([1, 2]), "invalid_message"),
                (json.dumps({"type": "subscribe"}), "invalid_message"),
                (json.dumps({"type": "subscribe", "channels": ["events:nope"]}), "invalid_channel"),
                (json.dumps({"type": "subscribe", "channels": ["events:market:A B"]}), "invalid_channel"),
                (json.dumps({"type": "subscribe", "channels": ["events:task:a*"]}), "invalid_channel"),
                (json.dumps({"type": "subscribe", "channels": [f"events:task:t{i}" for i in range(101)]}),
                 "too_many_subscriptions"),
                (json.dumps({"type": "heartbeat", "pad": "x" * (70 * 1024)}), "message_too_large"),
                (b"\x00\x01", "invalid_json"),
            ]
            for message, code in bad:
                await ws.send(message)
                error = await recv(ws)
                assert error["type"] == "error" and error["code"] == code and error["message"], (message[:40], error)
            # Still open, and the market subscription is live: a quote arrives as an event.
            quote(server, 12.5)
            event = await recv(ws)
            assert event["event_type"] == "price.update" and event["channel"] == "events:market:000001"
            assert event["price"] == 12.5 and event["version"] == "1.0" and "-" in event["event_id"]
            stats = httpx.get(server.url + "/ws/stats", timeout=10).json()
            assert stats["connections"] == 1 and stats["channels"]["events:market:000001"] == 1
            assert "events:indicators" not in stats["channels"] and stats["messages_sent"] >= 15
        # A client's close is answered (a clean close, not a dropped connection).
        assert (ws.close_code, ws.close_reason) == (1000, "")
        async with websockets.connect(ws_url(server), max_size=None) as big:
            await recv(big)
            try:
                await big.send("x" * (2 * 1024 * 1024))  # past the 1 MiB frame limit
            except ConnectionClosed:
                pass  # closed while still sending
            _, code, reason = await closed(big)
            assert (code, reason) == (1009, "message too big")
        listed = httpx.get(server.url + "/ws/channels", timeout=10).json()["channels"]
        assert [c["pattern"] for c in listed] == ["events:tasks", "events:task:{task_id}", "events:indicators",
                                                 "events:market", "events:market:{symbol}", "events:system"]
        assert all(c["description"] for c in listed)

    asyncio.run(scenario())
    # Bad upgrade requests are refused before the upgrade, as JSON.
    for query, says in [("channels=events:nope", "channel"), ("last_event_id=abc", "last_event_id"),
                        ("channels=events:tasks&channels=events:system", "twice"), ("foo=1", "unknown"),
                        ("channels=,,", "no channel")]:
        r = httpx.get(server.url + "/ws/events?" + query, timeout=10)
        assert r.status_code == 400 and says in r.json()["error"]["message"], (query, r.text)
    r = httpx.get(server.url + "/ws/events", timeout=10)  # not an upgrade
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


def test_a_flooding_client_is_closed_and_a_silent_dead_peer_is_swept(tmp_path, serve):
    engine = Engine(tmp_path, None)
    engine.run("demo-data", "--symbols", "2", "--days", "30")
    server = serve(engine, WS_IDLE_TIMEOUT="2", WS_SWEEP_INTERVAL="1")

    async def scenario():
        # A client that answers pings (as browsers do) outlives the idle timeout.
        async with websockets.connect(ws_url(server), ping_interval=None) as quiet:
            await recv(quiet)
            # A peer that completed the handshake and then went silent (no pong).
            host, port = server.url.removeprefix("http://").split(":")
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(b"GET /ws/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            assert head.startswith(b"HTTP/1.1 101"), head
            started = time.monotonic()
            # Read (never answering) until the server closes: a close frame, then EOF.
            data = b""
            while chunk := await asyncio.wait_for(reader.read(65536), 20):
                data += chunk
            waited = time.monotonic() - started
            close = data.rfind(b"\x88")
            assert close >= 0, data[-200:]
            assert 1.5 <= waited < 10, waited
            writer.close()
            # The quiet client is still served (it answered the server's pings).
            await quiet.send(json.dumps({"type": "heartbeat"}))
            assert (await recv(quiet))["type"] == "heartbeat_ack"

        async with websockets.connect(ws_url(server)) as flood:
            await recv(flood)
            try:
                for _ in range(200):
                    await flood.send(json.dumps({"type": "heartbeat"}))
            except ConnectionClosed:
                pass  # closed while still sending
            _, code, reason = await closed(flood)
            assert (code, reason) == (1008, "too many messages")

    asyncio.run(scenario())


# --- replay -------------------------------------------------------------------------------

@pytest.mark.parametrize("with_redis", [False, True], ids=["embedded", "redis"])
def test_replay_across_a_reconnect_while_a_job_runs_has_no_gap_and_no_duplicate(tmp_path, serve, with_redis):
    redis = RedisServer(tmp_path) if with_redis else None
    try:
        engine = Engine(tmp_path, redis.url if redis else None)
        n = 400
        engine.run("demo-data", "--symbols", str(n), "--days", "300")
        server = serve(engine)
        query = "channels=events:tasks,events:indicators"

        async def scenario():
            async with websockets.connect(ws_url(server, query)) as witness:
                await recv(witness)
                task_id = start_job(server)
                first = websockets.connect(ws_url(server, query))
                ws = await first.__aenter__()
                await recv(ws)
                seen = [await recv(ws) for _ in range(60)]
                await first.__aexit__(None, None, None)  # gone mid-job
                last = seen[-1]["event_id"]
                async with websockets.connect(ws_url(server, f"{query}&last_event_id={last}")) as again:
                    hello = await recv(again)
                    assert hello["recovered"] is True, hello
                    rest = await until(again, completed)
                everything = await until(witness, completed)
            return task_id, seen, rest, everything

        task_id, seen, rest, everything = asyncio.run(scenario())
        got = [key(e) for e in seen + rest]
        assert len(got) == len(set(got)), "a duplicate at the seam"
        # Exactly what a client connected all along received, from the first event seen on.
        first = id_of(seen[0])
        expected = {key(e) for e in everything if id_of(e) >= first}
        assert set(got) == expected, (len(got), len(expected), sorted(expected - set(got))[:5])
        assert rest and completed(rest[-1])
        kinds = [e["event_type"] for e in everything]
        assert kinds.count("stock.indicators.completed") == n
        assert kinds.count("task.progress") == progress_count(n) and everything[-1]["task_id"] == task_id
        assert server.stop() == 0
    finally:
        if redis:
            redis.stop()


def test_recovered_is_false_when_the_gap_is_gone(tmp_path, serve):
    engine = Engine(tmp_path, None)
    engine.run("demo-data", "--symbols", "5", "--days", "60")
    first = serve(engine)

    async def one_job(server, query):
        async with websockets.connect(ws_url(server, query)) as ws:
            hello = await recv(ws)
            start_job(server)
            return hello, await until(ws, completed)

    _, events = asyncio.run(one_job(first, "channels=events:tasks"))
    last = events[0]["event_id"]
    assert first.stop() == 0
    # A new embedded server holds nothing from before it started.
    second = serve(engine)
    hello, events = asyncio.run(one_job(second, f"channels=events:tasks&last_event_id={last}"))
    assert hello["recovered"] is False and "no longer held" in hello["reason"], hello
    # Nothing of the old gap was replayed: only the new job's events, all live.
    assert all(e["event_id"] > last for e in events) and events[0]["event_type"] == "task.progress"
    # An id from the future (another system's clock) is not taken as "nothing missed":
    # not recovered, and live events still arrive.
    future = f"{int(time.time() * 1000) + 3_600_000}-0"
    hello, events = asyncio.run(one_job(second, f"channels=events:tasks&last_event_id={future}"))
    assert hello["recovered"] is False and "after every event" in hello["reason"], hello
    assert completed(events[-1])
    assert httpx.get(second.url + "/ws/stats", timeout=10).json()["replays"]["not_recovered"] == 2


def test_a_gap_is_replayed_after_redis_restarted_empty_but_not_by_an_instance_that_never_saw_it(tmp_path, serve):
    redis = RedisServer(tmp_path)
    try:
        engine = Engine(tmp_path, redis.url)
        engine.run("demo-data", "--symbols", "3", "--days", "60")
        server = serve(engine)
        server.wait_for_mode("distributed")
        query = "channels=events:market:000001"

        async def scenario():
            async with websockets.connect(ws_url(server, query)) as ws:
                await recv(ws)
                quote(server, 1.0)
                last = (await recv(ws))["event_id"]
            redis.stop()
            quote(server, 2.0)  # published while Redis is down: only this instance holds it
            redis.start()  # empty: the streams are gone
            # Until the engine publishes through the new Redis again (another symbol).
            deadline = time.monotonic() + 30
            tries, other = 0, server.symbols()[1]
            while not redis.client.exists(f"{PREFIX}events:market:{other}"):
                assert time.monotonic() < deadline
                tries += 1
                ts = f"2026-12-03T09:{tries // 60:02d}:{tries % 60:02d}Z"
                quote(server, 1.0, symbol=other, ts=ts)
                time.sleep(0.05)  # only observable by asking Redis
            server.wait_for_mode("distributed")
            quote(server, 3.0)
            quote(server, 4.0)
            assert not redis.client.exists(f"{PREFIX}events:market:000001") or \
                len(redis.client.xrange(f"{PREFIX}events:market:000001")) == 2
            async with websockets.connect(ws_url(server, f"{query}&last_event_id={last}")) as ws:
                hello = await recv(ws)
                assert hello["recovered"] is True, hello
                replayed = [await recv(ws) for _ in range(3)]
                assert [e["price"] for e in replayed] == [2.0, 3.0, 4.0]
            # An instance started after the restart never saw 2.0: it says so.
            other = serve(engine)
            async with websockets.connect(ws_url(other, f"{query}&last_event_id={last}")) as ws:
                hello = await recv(ws)
                assert hello["recovered"] is False and hello["reason"], hello

        asyncio.run(scenario())
    finally:
        redis.stop()


# --- bounded delivery ---------------------------------------------------------------------

def test_a_slow_consumer_is_cut_with_where_to_resume_while_a_fast_one_gets_everything(tmp_path, serve):
    redis = RedisServer(tmp_path)
    try:
        engine = Engine(tmp_path, redis.url)
        engine.run("demo-data", "--symbols", "2", "--days", "30")
        server = serve(engine)
        server.wait_for_mode("distributed")
        query = "channels=events:indicators"
        total, chunk = 6000, 500

        async def scenario():
            slow = await websockets.connect(ws_url(server, query), sock=slow_socket(server), max_queue=1)
            fast = await websockets.connect(ws_url(server, query))
            await recv(slow)
            await recv(fast)
            got = []
            for start in range(0, total, chunk):
                with redis.client.pipeline(transaction=False) as p:
                    for i in range(start, start + chunk):
                        p.publish(f"{PREFIX}events:indicators", indicators_event(i, pad=150))
                    p.execute()
                while len(got) < start + chunk:  # paced by the fast client, not by time
                    got.append(await recv(fast))
            assert [e["success_count"] for e in got] == list(range(total)), "the fast client missed or reordered"
            stats = httpx.get(server.url + "/ws/stats", timeout=10).json()
            assert stats["slow_consumers_closed"] >= 1 and stats["messages_dropped"] > 0, stats
            # The same counts reach Prometheus (the Grafana dashboard's WebSocket row).
            scraped = {line.split()[0]: float(line.split()[1])
                       for line in httpx.get(server.url + "/metrics", timeout=10).text.splitlines()
                       if line.startswith("mystocks_ws_")}
            assert scraped["mystocks_ws_slow_consumers_closed_total"] >= 1, scraped
            assert scraped["mystocks_ws_messages_dropped_total"] > 0, scraped
            before, code, reason = await closed(slow)
            assert (code, reason) == (1008, "slow consumer")
            told = before[-1]
            assert told["type"] == "error" and told["code"] == "slow_consumer", told
            events = before[:-1]
            assert [e["success_count"] for e in events] == list(range(len(events))) and len(events) < total
            # Resuming from where it was told misses nothing.
            async with websockets.connect(ws_url(server, f"{query}&last_event_id={told['last_event_id']}")) as again:
                hello = await recv(again)
                assert hello["recovered"] is True, hello
                rest = [await recv(again) for _ in range(total - len(events))]
            assert [e["success_count"] for e in events + rest] == list(range(total))
            await fast.close()

        asyncio.run(scenario())
    finally:
        redis.stop()


def test_task_events_overtake_a_backlog_and_ticks_conflate_to_the_latest(tmp_path, serve):
    redis = RedisServer(tmp_path)
    try:
        engine = Engine(tmp_path, redis.url)
        engine.run("demo-data", "--symbols", "2", "--days", "30")
        server = serve(engine)
        server.wait_for_mode("distributed")

        async def scenario():
            # Priority: 1,000 large per-stock events fill the socket and queue up; a task
            # event published after them is sent ahead of the queued ones.
            q = "channels=events:indicators,events:tasks"
            lagging = await websockets.connect(ws_url(server, q), sock=slow_socket(server), max_queue=1)
            await recv(lagging)
            published = 0

            def stats():
                return httpx.get(server.url + "/ws/stats", timeout=10).json()

            # Per-stock events in chunks until a backlog (>= 300, below the 1,024 cut)
            # waits in the connection's queue behind a socket that is full.
            while stats()["messages_queued"] < 300:
                assert published < 20000, "no backlog builds up"
                with redis.client.pipeline(transaction=False) as p:
                    for i in range(published, published + 100):
                        p.publish(f"{PREFIX}events:indicators", indicators_event(i, pad=150))
                    p.execute()
                published += 100
                hub_took(server, published)
            redis.client.publish(f"{PREFIX}events:tasks", task_event("calc_priority"))
            got = [await recv(lagging) for _ in range(published + 1)]
            at = next(i for i, e in enumerate(got) if e["event_type"] == "task.progress")
            assert at < published - 250, "the task event waited behind the backlog"
            per_stock = [e["success_count"] for e in got if e["event_type"] != "task.progress"]
            assert per_stock == list(range(published)), "per-stock order kept behind it"
            await lagging.close()

            # Conflation: a client that lags on one symbol's ticks keeps the newest price.
            q = "channels=events:market:000001"
            ticks = await websockets.connect(ws_url(server, q), sock=slow_socket(server), max_queue=1)
            await recv(ticks)
            base = httpx.get(server.url + "/ws/stats", timeout=10).json()["events_received"]
            n = 0

            def ticks_up_to(m):
                nonlocal n
                with redis.client.pipeline(transaction=False) as p:
                    for i in range(n + 1, m + 1):
                        p.publish(f"{PREFIX}events:market:000001", price_event("000001", float(i)))
                    p.execute()
                n = m
                hub_took(server, base + n)

            # Ticks until the queue is full (the client lags), then as many again.
            while httpx.get(server.url + "/ws/stats", timeout=10).json()["messages_queued"] < 1024:
                assert n < 200000, "the client never lagged"
                ticks_up_to(n + 1000)
            ticks_up_to(n + 2000)
            prices = []
            while not prices or prices[-1] != float(n):
                prices.append((await recv(ticks))["price"])
            assert prices == sorted(set(prices)), "an older tick after a newer one"
            assert len(prices) < n, "nothing was conflated"
            assert httpx.get(server.url + "/ws/stats", timeout=10).json()["messages_dropped"] >= n - len(prices)
            await ticks.close()

        asyncio.run(scenario())
    finally:
        redis.stop()


# --- fleet, auth, failures ------------------------------------------------------------------

def test_an_event_published_through_one_instance_reaches_a_client_of_another(tmp_path, serve):
    redis = RedisServer(tmp_path)
    try:
        engine = Engine(tmp_path, redis.url)
        engine.run("demo-data", "--symbols", "20", "--days", "60")
        a, b = serve(engine), serve(engine)
        b.wait_for_mode("distributed")

        async def scenario():
            async with websockets.connect(ws_url(b, "channels=events:tasks,events:market:000001")) as ws:
                await recv(ws)
                quote(a, 9.75)
                tick = await recv(ws)
                assert (tick["event_type"], tick["price"]) == ("price.update", 9.75)
                task_id = start_job(a)
                events = await until(ws, completed)
                assert events[-1]["task_id"] == task_id and events[-1]["result"]["success"] == 20

        asyncio.run(scenario())
    finally:
        redis.stop()


def test_tokens_are_checked_before_the_upgrade_and_an_expiring_one_ends_the_session(tmp_path, serve):
    engine = Engine(tmp_path, None)
    engine.run("demo-data", "--symbols", "2", "--days", "30")
    secret = "ws-secret"
    server = serve(engine, JWT_SECRET=secret, RUST_LOG="tower_http=debug,mystocks=info")
    hidden = jwt_token(secret, sub="hidden-in-the-log")

    async def scenario():
        for query, headers in [("", {}), ("token=not.a.jwt", {}), (f"token={jwt_token('other')}", {}),
                               (f"token={jwt_token(secret, expires_in=-30)}", {}),
                               (f"token={jwt_token(secret, nbf=int(time.time()) + 600)}", {}),
                               ("", {"Authorization": f"Bearer {jwt_token(secret, expires_in=-30)}"})]:
            with pytest.raises(InvalidStatus) as refused:
                async with websockets.connect(ws_url(server, query), additional_headers=headers):
                    pass
            assert refused.value.response.status_code == 401, query
        async with websockets.connect(ws_url(server, f"token={jwt_token(secret)}")) as ws:
            assert (await recv(ws))["type"] == "connected"
        # However the parameter's name is encoded, its value stays out of the log.
        async with websockets.connect(ws_url(server, f"%74oken={hidden}")) as ws:
            assert (await recv(ws))["type"] == "connected"
        headers = {"Authorization": f"Bearer {jwt_token(secret)}"}
        async with websockets.connect(ws_url(server), additional_headers=headers) as ws:
            assert (await recv(ws))["type"] == "connected"
        async with websockets.connect(ws_url(server, f"token={jwt_token(secret, expires_in=2)}")) as ws:
            assert (await recv(ws))["type"] == "connected"
            _, code, reason = await closed(ws, timeout=15)
            assert (code, reason) == (1008, "token expired")

    asyncio.run(scenario())
    log = server.stderr()
    assert "/ws/events" in log, "the requests were logged"
    assert "not.a.jwt" not in log and hidden not in log


def test_redis_killed_mid_stream_keeps_clients_and_the_stream_resumes(tmp_path, serve):
    redis = RedisServer(tmp_path)
    try:
        engine = Engine(tmp_path, redis.url)
        engine.run("demo-data", "--symbols", "3", "--days", "60")
        server = serve(engine)
        server.wait_for_mode("distributed")
        query = "channels=events:market:000001"

        async def scenario():
            async with websockets.connect(ws_url(server, query)) as ws:
                await recv(ws)
                quote(server, 1.0)
                assert (await recv(ws))["price"] == 1.0
                redis.stop()
                quote(server, 2.0)  # Redis is gone: still delivered on this instance
                assert (await recv(ws))["price"] == 2.0
                redis.start()
                server.wait_for_mode("distributed")
                quote(server, 3.0)  # whether or not the subscription is back yet
                assert (await recv(ws))["price"] == 3.0
                deadline = time.monotonic() + 20
                while redis.client.pubsub_numpat() < 1:  # the subscription comes back by itself
                    assert time.monotonic() < deadline, "the engine did not subscribe again"
                    time.sleep(0.05)  # only observable by asking Redis
                quote(server, 4.0)
                tick = await recv(ws)
                assert tick["price"] == 4.0
                last = tick["event_id"]
            quote(server, 5.0)
            quote(server, 6.0)
            async with websockets.connect(ws_url(server, f"{query}&last_event_id={last}")) as ws:
                hello = await recv(ws)
                assert hello["recovered"] is True, hello
                assert [(await recv(ws))["price"] for _ in range(2)] == [5.0, 6.0]
                with pytest.raises(asyncio.TimeoutError):
                    await recv(ws, timeout=0.5)  # and nothing twice

        asyncio.run(scenario())
    finally:
        redis.stop()


def test_sigterm_closes_every_socket_with_1001(tmp_path, serve):
    engine = Engine(tmp_path, None)
    engine.run("demo-data", "--symbols", "2", "--days", "30")
    server = serve(engine)

    async def scenario():
        clients = [await websockets.connect(ws_url(server)) for _ in range(3)]
        for ws in clients:
            await recv(ws)
        server.proc.send_signal(signal.SIGTERM)
        for ws in clients:
            _, code, reason = await closed(ws)
            assert code == 1001 and reason == "server shutting down"

    asyncio.run(scenario())
    assert server.proc.wait(timeout=30) == 0
