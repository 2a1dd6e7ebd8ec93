"""The replaced system's WebSocket gateway (pyref's app.py under uvicorn, one Redis
subscription per connection, json.loads on every message) beside the engine on one
Redis: a `websockets` client connected to it sees every event of the engine's daily job,
and the gateway keeps forwarding (it stopped at the first message before)."""
import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request

import websockets

from conftest import PYREF, free_port, market_csv, progress_count


def start_pyref(redis_url: str, database_url: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=database_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--no-access-log", "--log-level", "warning"],
        cwd=PYREF, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:  # readiness of another process can only be observed by asking it
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as r:
                if r.status == 200:
                    return proc, port
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(f"pyref exited: {proc.stderr.read()}")
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.1)


def test_the_python_gateway_forwards_every_event_of_the_engines_job(engine, redis_server, pg_database, tmp_path):
    n = 40
    engine.run("import", str(market_csv(tmp_path / "m.csv", symbols=n, days=60)))
    gateway, port = start_pyref(redis_server.url, pg_database)
    try:
        async def watch():
            url = f"ws://127.0.0.1:{port}/ws/events?channels=events:tasks,events:indicators"
            async with websockets.connect(url) as ws:
                hello = json.loads(await ws.recv())
                assert hello["type"] == "connected"
                job = await asyncio.create_subprocess_exec(
                    engine_bin(), "daily", "--json", cwd=engine.workdir, env=engine.env,
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
                events = []
                while True:
                    event = json.loads(await asyncio.wait_for(ws.recv(), 30))
                    events.append(event)
                    if event.get("event_type") == "task.completed":
                        break
                out, err = await job.communicate()
                assert job.returncode == 0, err
                # The gateway is still forwarding: a heartbeat round trip works.
                await ws.send(json.dumps({"type": "heartbeat"}))
                assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "heartbeat_ack"
                return events, json.loads(out)

        events, report = asyncio.run(watch())
        tasks = [e for e in events if e["channel"] == "events:tasks"]
        stocks = [e for e in events if e["channel"] == "events:indicators"]
        assert len(tasks) == progress_count(n) + 1 and len(stocks) == n, (len(tasks), len(stocks))
        assert all(e["task_id"] == report["task_id"] for e in tasks)
        assert all(e["event_id"] for e in events)
        assert gateway.poll() is None, "the gateway is alive"
    finally:
        gateway.kill()
        gateway.wait()


def engine_bin() -> str:
    from conftest import BIN
    return BIN
