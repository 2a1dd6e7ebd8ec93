"""Pub/Sub with redis-py on both sides of the wire: every message the engine publishes is
one plain JSON object (json.loads reads it) with its stream id inside as `event_id`; and
events a Python client publishes (plain JSON, spaces in the text) reach the engine's
subscriber."""
import asyncio
import json
import time

import redis.asyncio as aioredis

from conftest import PREFIX, market_csv, progress_count


def test_every_message_of_a_daily_job_is_plain_json_with_its_event_id(engine, redis_server, tmp_path):
    n = 60
    engine.run("import", str(market_csv(tmp_path / "m.csv", symbols=n, days=70)))
    sub = redis_server.client.pubsub()
    sub.psubscribe(f"{PREFIX}events:*")
    assert sub.get_message(timeout=5)["type"] == "psubscribe"

    report = engine.json("daily", "--json")
    task = report["task_id"]
    by_channel: dict[str, list[dict]] = {}
    want = {"events:tasks": progress_count(n) + 1, f"events:task:{task}": progress_count(n) + 1,
            "events:indicators": n}
    deadline = time.monotonic() + 30
    while any(len(by_channel.get(c, [])) < k for c, k in want.items()):
        assert time.monotonic() < deadline, {c: len(v) for c, v in by_channel.items()}
        message = sub.get_message(timeout=1)
        if message is None or message["type"] != "pmessage":
            continue
        event = json.loads(message["data"])  # what every client of the replaced system does
        assert event["version"] == "1.0" and "event_type" in event and "timestamp" in event
        by_channel.setdefault(message["channel"][len(PREFIX):], []).append(event)
    assert {c: len(v) for c, v in by_channel.items()} == want
    assert by_channel["events:tasks"][-1]["event_type"] == "task.completed"
    # The event_id is the entry's id in the channel's stream, for replay.
    for channel, events in by_channel.items():
        ids = [entry_id for entry_id, _ in redis_server.client.xrange(f"{PREFIX}{channel}")]
        assert [e["event_id"] for e in events] == ids, channel
    assert report["events"] == sum(want.values())


def test_events_a_python_client_publishes_reach_the_engine(engine, redis_server):
    from events import EventPublisher

    listener = engine.spawn("debug", "listen", "--channels", "events:tasks,events:indicators", "--count", "3")
    assert listener.stdout.readline().strip() == "listening"

    async def publish():
        client = aioredis.from_url(redis_server.url)
        try:
            p = EventPublisher(client, PREFIX)
            await p.task_progress("py_task-1", processed=5, total=10, failed=1, message="Processing 000005 (5/10)")
            await p.stock_completed("000005", indicators=["SMA", "RSI"], success_count=2, failed_count=0,
                                    calculation_time_ms=1.5, from_cache_count=1)
            await p.task_completed("py_task-1", processed=10, total=10, failed=1, duration_seconds=2.5)
        finally:
            await client.aclose()

    asyncio.run(publish())
    out, err = listener.communicate(timeout=30)
    assert listener.returncode == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["channel"] for line in lines] == ["events:tasks", "events:indicators", "events:tasks"]
    progress, stock, completed = (line["event"] for line in lines)
    assert progress["event_type"] == "task.progress" and progress["message"] == "Processing 000005 (5/10)"
    assert (progress["processed"], progress["total"], progress["failed"]) == (5, 10, 1)
    assert stock["stock_code"] == "000005" and stock["from_cache_count"] == 1
    assert completed["event_type"] == "task.completed" and completed["result"] == {"success": 9, "failed": 1}
    assert all(line["event_id"] for line in lines), "delivered with an id of their own"


def test_every_message_under_the_prefix_is_json(engine, redis_server, tmp_path):
    """A client of the replaced system subscribed to everything under the prefix parses
    every message, the engine's internal notices (invalidations, announcements of a
    computation to waiting instances) included."""
    csv = market_csv(tmp_path / "m.csv", symbols=3, days=60)
    sub = redis_server.client.pubsub()
    sub.psubscribe(f"{PREFIX}*")
    assert sub.get_message(timeout=5)["type"] == "psubscribe"
    engine.run("import", str(csv))
    engine.run("indicator", "000001", "MACD")
    engine.run("cache", "invalidate", "000001")
    engine.run("daily", "--symbols", "000002")
    channels = set()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        message = sub.get_message(timeout=0.5)
        if message is None:
            if {f"{PREFIX}cache:invalidate", f"{PREFIX}events:tasks"} <= channels and any(":done" in c for c in channels):
                break
            continue
        if message["type"] != "pmessage":
            continue
        body = json.loads(message["data"])
        assert isinstance(body, dict) and body.get("event_type") and body.get("version") == "1.0", message
        channels.add(message["channel"])
    assert f"{PREFIX}cache:invalidate" in channels, channels
    assert f"{PREFIX}calc:000001:MACD:d7b32e6c:done" in channels, channels
    assert f"{PREFIX}events:tasks" in channels, channels
