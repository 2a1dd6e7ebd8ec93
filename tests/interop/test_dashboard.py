"""The dashboard at `/` in a real browser: headless Chromium (Debian's `chromium`) driven
by Playwright, against `mystocks demo` on a scratch embedded store of 5,000 symbols (the
bundled real sample's 5 plus 4,995 synthetic).

One journey, in the order a user takes it: the page loads in under a second; a daily job
started from the page moves the progress bar to 100 % and its summary names the 5,000
symbols; a symbol picked by search draws its candlesticks and indicator panes (checked on
the screenshot's pixels, not on elements); live ticks move the last candle while the page
stays responsive at 100 events/s; the server killed and restarted, the page says it is
disconnected, reconnects by itself and is live again. Screenshots are kept under
target/dashboard-screenshots/ as test artifacts."""
import io
import json
import os
import re
import shutil
import subprocess
import time

import httpx
import pytest
from PIL import Image

from conftest import BIN, ROOT, free_port

SHOTS = ROOT / "target" / "dashboard-screenshots"
CHROMIUM = os.environ.get("MYSTOCKS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def engine_env(workdir) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("REDIS_") and k not in ("DATABASE_URL", "TIMESERIES_URL", "RUST_LOG", "JWT_SECRET")}
    env["DATABASE_URL"] = f"sqlite://{workdir}/demo.db"
    return env


def start(args: list[str], workdir, env, ready: str, timeout: float = 600) -> tuple[subprocess.Popen, list[str]]:
    """Starts the binary and reads its output until a line starting with `ready`."""
    log = open(workdir / f"{args[0]}-{time.monotonic_ns()}.log", "w")
    proc = subprocess.Popen([BIN, *args], cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    proc.log_path = log.name
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"mystocks {args[0]} ended before `{ready}`: {lines} {open(log.name).read()[-2000:]}")
        lines.append(line.rstrip("\n"))
        if line.startswith(ready):
            return proc, lines
    proc.kill()
    raise AssertionError(f"no `{ready}` in {timeout} s: {lines}")


def count(image: Image.Image, box: tuple[float, float], rgb: tuple[int, int, int], tolerance: int = 40) -> int:
    """Pixels within `tolerance` of `rgb` in the horizontal band box = (top, bottom) as
    fractions of the height."""
    w, h = image.size
    band = image.crop((0, int(box[0] * h), w, int(box[1] * h))).convert("RGB")
    return sum(1 for p in band.get_flattened_data() if all(abs(a - b) <= tolerance for a, b in zip(p, rgb)))


def shot(page, name: str, selector: str | None = None) -> bytes:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(selector) if selector else page
    data = target.screenshot()
    (SHOTS / f"{name}.png").write_bytes(data)
    return data


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (scripts/test installs it)")
def test_dashboard_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright, expect

    port = free_port()
    env = engine_env(tmp_path)
    demo, out = start(["demo", "--bind", f"127.0.0.1:{port}", "--symbols", "4995", "--no-job"], tmp_path, env,
                      "dashboard: ")
    url = f"http://127.0.0.1:{port}/"
    assert any(line.startswith("prepared 5000 symbols") for line in out), out
    server = demo
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))

            # Loads fast, from the binary alone (no request leaves the server).
            outside = []
            page.on("request", lambda r: r.url.startswith(url) or r.url.startswith(f"ws://127.0.0.1:{port}")
                    or outside.append(r.url))
            page.goto(url)
            load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            assert 0 < load_ms < 1000, load_ms
            expect(page.locator("#conn")).to_have_attribute("data-state", "connected", timeout=10_000)
            expect(page.locator("#sys-mode")).to_have_text("embedded", timeout=10_000)

            # A job for the whole market, started from the page.
            page.click("#job-start")
            expect(page.locator("#job-bar")).to_have_attribute("aria-valuenow", "100", timeout=300_000)
            expect(page.locator("#job-summary")).to_contain_text("5,000 symbols", timeout=10_000)
            task = page.locator("#job-task").inner_text()
            record = httpx.get(f"{url}api/jobs/{task}", timeout=10).json()
            assert record["status"] == "completed" and record["total"] == 5000, record
            expect(page.locator("#recent-jobs tbody tr").first).to_contain_text(task, timeout=10_000)
            shot(page, "1-job-finished")

            # A symbol by search: candlesticks with volume and overlays, MACD, RSI, KDJ panes.
            page.fill("#symbol-search", "AAP")
            page.click("#symbol-results li[data-code=AAPL]")
            expect(page.locator("#chart")).to_have_attribute("data-drawn", "MA5,MA20,BOLL,MACD,RSI,KDJ",
                                                             timeout=60_000)
            page.wait_for_timeout(300)  # the chart paints on the next animation frames
            chart = Image.open(io.BytesIO(shot(page, "2-chart-AAPL", "#chart")))
            up, down = (22, 163, 74), (220, 38, 38)
            assert count(chart, (0, 0.5), up) + count(chart, (0, 0.5), down) > 500, "no candles drawn"
            assert count(chart, (0.5, 0.66), (37, 99, 235)) > 30, "no MACD line in the second pane"
            assert count(chart, (0.67, 0.83), (124, 58, 237)) > 30, "no RSI line in the third pane"
            assert count(chart, (0.84, 1.0), (219, 39, 119)) > 30, "no KDJ J line in the fourth pane"

            # Any indicator of the catalog, from the form the catalog builds.
            page.click("#any-indicator summary")
            page.select_option("#ind-code", "ATR")
            page.fill("#ind-params input[name=timeperiod]", "20")
            page.click("#ind-form button")
            expect(page.locator("#ind-info")).to_contain_text('"timeperiod":20', timeout=30_000)

            # Live ticks at 100 events/s: the last candle moves, the page stays responsive.
            page.evaluate("""() => { window.__lag = 0; let last = performance.now();
                setInterval(() => { const now = performance.now(); window.__lag = Math.max(window.__lag, now - last - 50);
                last = now; }, 50); }""")
            price = 600.0
            with httpx.Client(base_url=url, timeout=30) as http:
                began = time.monotonic()
                for step in range(30):  # 3 s, 10 quotes every 100 ms
                    quotes = []
                    for i in range(10):
                        price = 600.0 + step + i / 100
                        quotes.append({"symbol": "AAPL", "price": price, "volume": 100,
                                       "ts": f"2026-12-03T10:{step:02d}:{i:02d}Z"})
                    assert http.post("/api/market/quotes", json=quotes).status_code == 200
                    time.sleep(max(0.0, began + (step + 1) * 0.1 - time.monotonic()))
            expect(page.locator("#quote")).to_contain_text(f"{price:g}", timeout=10_000)
            lag = page.evaluate("window.__lag")
            assert lag < 250, f"the page stalled {lag:.0f} ms while 100 events/s arrived"
            shot(page, "3-live-ticks", "#chart")

            # The server killed: the page says so, then reconnects by itself to the new one.
            server.kill()
            server.wait()
            expect(page.locator("#conn")).to_have_attribute("data-state", "disconnected", timeout=10_000)
            expect(page.locator("#banner")).to_contain_text("reconnecting", timeout=10_000)
            shot(page, "4-disconnected")
            server, _ = start(["serve", "--bind", f"127.0.0.1:{port}"], tmp_path, env, "listening on ")
            expect(page.locator("#conn")).to_have_attribute("data-state", "connected", timeout=20_000)
            # An embedded server restarted holds no history: the page is told the gap is
            # not recovered (SPEC section 5) and reloads its figures from the API.
            expect(page.locator("#banner")).not_to_contain_text("Disconnected")
            httpx.post(f"{url}api/market/quotes", json=[{"symbol": "AAPL", "price": 777.5, "volume": 1,
                                                          "ts": "2026-12-03T11:00:00Z"}], timeout=30)
            expect(page.locator("#quote")).to_contain_text("777.5", timeout=10_000)
            shot(page, "5-reconnected")

            # A phone-width screen: one column, nothing wider than the screen.
            page.set_viewport_size({"width": 390, "height": 844})
            page.wait_for_timeout(300)  # the chart resizes on the next frame
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"the page is {overflow} px wider than a phone's screen"
            assert page.locator("#chart canvas").first.bounding_box()["width"] <= 390
            page.screenshot(path=str(SHOTS / "6-phone.png"), full_page=True)

            (SHOTS / "figures.json").write_text(json.dumps({
                "page_load_ms": load_ms, "max_main_thread_stall_ms_at_100_events_per_s": lag,
                "job_symbols": record["total"], "job_summary": page.locator("#job-summary").inner_text(),
            }, indent=1))
            assert not errors, errors
            assert not outside, f"the page fetched from outside the server: {outside}"
            browser.close()
    finally:
        server.kill()
        server.wait()


def test_demo_prepares_once_runs_a_job_and_reuses_the_data(tmp_path):
    """The one-command demo: the first run fills an empty store and runs a daily job; a
    second run reuses the data (and says so); --workers without Redis is refused."""
    env = engine_env(tmp_path)
    first, out = start(["demo", "--bind", "127.0.0.1:0", "--symbols", "45", "--days", "60"], tmp_path, env,
                       "dashboard: ")
    try:
        assert any(line.startswith("prepared 50 symbols") for line in out), out
        job = next(line for line in out if line.startswith("daily job "))
        assert "completed: 50 of 50 symbols processed, 0 failed" in job, job
        url = out[-1].split()[1]
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "MyStocks" in page.text and "/assets/app.js" in page.text
        assert httpx.get(url + "assets/nothing.js", timeout=10).status_code == 404
        tag = httpx.get(url + "assets/lightweight-charts.js", timeout=10).headers["etag"]
        for seen in (tag, f'"other", W/{tag}', "*"):
            assert httpx.get(url + "assets/lightweight-charts.js", headers={"If-None-Match": seen},
                             timeout=10).status_code == 304, seen
        assert httpx.get(url + "assets/lightweight-charts.js", headers={"If-None-Match": '"other"'},
                         timeout=10).status_code == 200
    finally:
        first.terminate()
        assert first.wait(timeout=30) == 0

    began = time.monotonic()
    second, out = start(["demo", "--bind", "127.0.0.1:0", "--no-job"], tmp_path, env, "dashboard: ")
    second.terminate()
    second.wait(timeout=30)
    assert any("using the data already in sqlite" in line for line in out), out
    assert time.monotonic() - began < 20, "a second demo run should reuse the data and start in seconds"

    # A preparation cut short (its last step, the sample, never written) is finished by
    # the next run instead of serving a partial market for good.
    import sqlite3
    with sqlite3.connect(tmp_path / "demo.db") as db:
        db.execute("delete from bars where symbol in ('AAPL','FB','GOOG','IBM','MSFT')")
        db.execute("delete from symbols where code in ('AAPL','FB','GOOG','IBM','MSFT')")
    third, out = start(["demo", "--bind", "127.0.0.1:0", "--no-job", "--symbols", "45", "--days", "60"], tmp_path,
                       env, "dashboard: ")
    third.terminate()
    third.wait(timeout=30)
    assert any(line.startswith("finishing an interrupted preparation") for line in out), out
    assert any(line.startswith("prepared 50 symbols") for line in out), out

    refused = subprocess.run([BIN, "demo", "--workers", "2"], cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=60)
    assert refused.returncode == 1 and "REDIS_URL" in refused.stderr, refused.stderr


def test_demo_with_redis_spreads_the_job_over_local_workers(tmp_path, redis_server, pg_database):
    """`demo --workers 2` with REDIS_URL and a PostgreSQL DATABASE_URL: the store is
    prepared there, distributed mode, two local workers ready before the job starts, the
    job completed with both taking part, and both stopped cleanly (each reports its
    share) when the demo is stopped."""
    env = engine_env(tmp_path)
    env["REDIS_URL"] = redis_server.url
    env["DATABASE_URL"] = pg_database.replace("postgresql://", "postgres://")
    demo, out = start(["demo", "--bind", "127.0.0.1:0", "--symbols", "2995", "--workers", "2"], tmp_path, env,
                      "dashboard: ")
    try:
        assert any(line.startswith("prepared 3000 symbols in postgres") for line in out), out
        assert any("(distributed mode)" in line for line in out), out
        assert "started 2 local workers" in out, out
        job = next(line for line in out if line.startswith("daily job "))
        assert "completed: 3000 of 3000 symbols processed, 0 failed" in job, job
    finally:
        demo.terminate()
        assert demo.wait(timeout=60) == 0
    log = open(demo.log_path).read()
    shares = {name: int(n) for name, n in re.findall(r"worker (demo-worker-\d) stopped: (\d+) symbols", log)}
    assert set(shares) == {"demo-worker-1", "demo-worker-2"}, log[-3000:]
    assert sum(shares.values()) > 0, f"the workers took no part of the job: {shares}"


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (scripts/test installs it)")
def test_dashboard_with_a_token_and_a_job_faster_than_its_answer(tmp_path):
    """With JWT_SECRET set the page says the live feed needs a token (not a vague
    'disconnected'), and works once it is given; a job whose events all arrive before the
    POST that started it is answered still ends in the panel as completed, with the
    failed symbol named."""
    from playwright.sync_api import sync_playwright, expect
    from conftest import jwt_token

    env = engine_env(tmp_path)
    subprocess.run([BIN, "demo-data", "--symbols", "3", "--days", "60"], cwd=tmp_path, env=env, check=True,
                   capture_output=True, timeout=120)
    env["JWT_SECRET"] = "s3cret-for-the-page-0123456789abcdef"
    server, out = start(["serve", "--bind", "127.0.0.1:0"], tmp_path, env, "listening on ")
    url = out[-1].split()[-1] + "/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url)
            expect(page.locator("#conn")).to_have_attribute("data-state", "auth", timeout=10_000)
            expect(page.locator("#banner")).to_contain_text("need a bearer token")
            expect(page.locator("#token-box")).to_be_visible()
            page.fill("#token", jwt_token("s3cret-for-the-page-0123456789abcdef"))
            page.locator("#token").dispatch_event("change")
            expect(page.locator("#conn")).to_have_attribute("data-state", "connected", timeout=10_000)

            # The answer to the POST held back until the job has long finished.
            def late(route):
                response = route.fetch()
                time.sleep(1.0)
                route.fulfill(response=response)
            page.route("**/api/jobs/daily", late)
            page.check("input[name=scope][value=list]")
            page.fill("#job-symbols", "000001, zzzz")
            page.click("#job-start")
            expect(page.locator("#job-summary")).to_contain_text("Job completed: 2 symbols, 1 succeeded, 1 failed",
                                                                 timeout=30_000)
            expect(page.locator("#job-summary")).to_contain_text("ZZZZ (", timeout=10_000)
            expect(page.locator("#job-bar")).to_have_attribute("aria-valuenow", "100")
            shot(page, "7-token-and-failed-symbol")
            browser.close()
    finally:
        server.kill()
        server.wait()
