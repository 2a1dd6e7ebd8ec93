"""Fixtures of the interop suite: the real `mystocks` binary, a private redis-server per
test (free port, killed after), a scratch SQLite store, a scratch PostgreSQL database for
the replaced Python system, and that system's own code (pyref/) on the import path."""
import asyncio
import os
import pathlib
import socket
import subprocess
import sys
import time
import uuid

import pytest
import redis

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYREF = HERE / "pyref"
BIN = str(pathlib.Path(os.environ.get("MYSTOCKS_BIN", ROOT / "target" / "debug" / "mystocks")).resolve())
PG_ADMIN = os.environ.get("MYSTOCKS_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PREFIX = "mystocks:"

sys.path.insert(0, str(PYREF))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.client = redis.Redis.from_url(self.url, decode_responses=True)
        self.start()

    def start(self):
        """Starts (or restarts, empty) the server on its port."""
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:  # readiness of another process can only be observed by asking it
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


class Engine:
    """The `mystocks` binary on one SQLite store, optionally with one Redis."""

    def __init__(self, workdir: pathlib.Path, redis_url: str | None):
        self.workdir = workdir
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("REDIS_") and k not in ("DATABASE_URL", "TIMESERIES_URL", "RUST_LOG")}
        self.env["DATABASE_URL"] = f"sqlite://{workdir}/engine.db"
        if redis_url:
            self.env["REDIS_URL"] = redis_url

    def run(self, *args, check=True, timeout=300) -> subprocess.CompletedProcess:
        done = subprocess.run([BIN, *args], cwd=self.workdir, env=self.env, capture_output=True, text=True,
                              timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"mystocks {' '.join(args)} failed ({done.returncode}): {done.stderr}")
        return done

    def json(self, *args):
        import json
        return json.loads(self.run(*args).stdout)

    def spawn(self, *args) -> subprocess.Popen:
        return subprocess.Popen([BIN, *args], cwd=self.workdir, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)


@pytest.fixture
def engine(tmp_path, redis_server):
    return Engine(tmp_path, redis_server.url)


def market_csv(path: pathlib.Path, symbols: int, days: int, seed: int = 42) -> pathlib.Path:
    """Bars from the Python system's own generator, as a CSV both systems load."""
    import gen
    gen.generate(symbols, days, seed).to_csv(path, index=False)
    return path


def pyref_bars(csv: pathlib.Path, symbol: str, last: int | None = None) -> dict:
    """A symbol's bars as the Python system's load_bars returns them (its latest `last`)."""
    import numpy as np
    import pandas as pd
    df = pd.read_csv(csv, dtype={"symbol": str})
    df = df[df["symbol"] == symbol].sort_values("date")
    if last is not None:
        df = df.tail(last)
    bars = {"dates": list(df["date"])}
    for name in ("open", "high", "low", "close", "volume"):
        bars[name] = df[name].to_numpy(dtype=np.float64)
    return bars


@pytest.fixture
def pg_database():
    """A PostgreSQL database for the Python system, created and dropped here."""
    import asyncpg
    name = f"pyref_{os.getpid()}_{uuid.uuid4().hex[:8]}"

    async def admin(sql):
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'create database "{name}"'))
    base, _, _ = PG_ADMIN.rpartition("/")
    yield f"{base}/{name}"
    asyncio.run(admin(f'drop database if exists "{name}" with (force)'))


def progress_count(total: int) -> int:
    """task.progress events of a daily job over `total` symbols (SPEC section 4): one at
    the start, then each time progress grew by >= 1 % or 50 more symbols were processed."""
    count, last = 1, 0
    for processed in range(1, total + 1):
        grown = processed - last
        if grown >= 50 or grown * 100 >= total:
            count, last = count + 1, processed
    return count


class Server:
    """`mystocks serve` on a free port (MYSTOCKS_BIND=127.0.0.1:0; the address is the
    first line it prints), stopped with SIGTERM."""

    def __init__(self, engine: Engine, **env):
        import signal  # noqa: F401  (used by stop)
        self.env = dict(engine.env, MYSTOCKS_BIND="127.0.0.1:0", **env)
        # The log goes to a file: a pipe nobody reads fills up and blocks the server.
        self.log_path = os.path.join(engine.workdir, f"serve-{time.monotonic_ns()}.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([BIN, "serve"], cwd=engine.workdir, env=self.env, stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on "):
            self.proc.kill()
            raise AssertionError(f"serve did not start: {line!r} {self.stderr()}")
        self.url = line.split()[-1]

    def stderr(self) -> str:
        """What the server logged so far."""
        with open(self.log_path) as f:
            return f.read()

    def symbols(self) -> list[str]:
        """Every listed code (the demo market's codes are not consecutive)."""
        import httpx
        listed = httpx.get(self.url + "/api/stocks", params={"limit": 10000}, timeout=30).json()
        return [row["code"] for row in listed["stocks"]]

    def wait_for_mode(self, mode: str) -> dict:
        """Until /api/health reports `mode` (for `distributed`, with the Redis breaker
        closed); returns that health document."""
        import httpx

        def reached(health):
            return health["mode"] == mode and (mode != "distributed" or health["redis"]["ok"])

        deadline = time.monotonic() + 30
        while not reached(now := httpx.get(self.url + "/api/health", timeout=10).json()):
            assert time.monotonic() < deadline, now
            time.sleep(0.05)  # the mode is only observable by asking for it
        return now

    def stop(self, timeout=30) -> int:
        import signal
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def serve():
    """Starts servers for a test; every one still running at the end is stopped."""
    started: list[Server] = []

    def start(engine: Engine, **env) -> Server:
        server = Server(engine, **env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


@pytest.fixture
def engine_pg(tmp_path, pg_database):
    """An engine on a scratch PostgreSQL database, without Redis."""
    e = Engine(tmp_path, None)
    e.env["DATABASE_URL"] = pg_database.replace("postgresql://", "postgres://")
    return e


def jwt_token(secret: str, expires_in: float = 300.0, **claims) -> str:
    import jwt
    return jwt.encode({"exp": int(time.time() + expires_in), **claims}, secret, algorithm="HS256")
