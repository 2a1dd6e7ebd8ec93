"""The whole TA-Lib catalogue over HTTP, as a client sees it: every function the
`ta-lib` 0.8.2 wheel lists is in `GET /api/indicators/catalog`, and each one, served by
`GET /api/indicators/{symbol}/{code}` with its defaults from bars the engine imported,
equals the wheel's numbers on the same bars, bit for bit (integer outputs: the wheel's
integers, null inside the lookback as every output is). No per-function code on either
side: the loop is driven by the catalog and by TA-Lib's abstract API."""
import httpx
import numpy as np
import talib
from talib import abstract

from conftest import Engine, market_csv, pyref_bars

# Catalog codes whose TA-Lib function has another name: the catalog's KDJ is MyTT's.
TALIB_NAMES = {"TA_KDJ": "KDJ"}


def talib_outputs(name, bars):
    cols = []
    for value in abstract.Function(name).info["input_names"].values():
        cols.extend(value if isinstance(value, list) else [value])
    result = getattr(talib, name)(*[bars[c] for c in cols])
    return result if isinstance(result, tuple) else (result,)


def test_every_talib_function_over_http_equals_the_wheel(tmp_path, serve):
    engine = Engine(tmp_path, None)
    csv = market_csv(tmp_path / "m.csv", symbols=2, days=300)
    engine.run("import", str(csv))
    server = serve(engine)
    bars = pyref_bars(csv, "000001")
    with httpx.Client(base_url=server.url, timeout=30) as c:
        catalog = c.get("/api/indicators/catalog").json()["indicators"]
        talib_entries = [e for e in catalog if e["reference"] == "talib"]
        served = {TALIB_NAMES.get(e["code"], e["code"]) for e in talib_entries}
        assert served == set(talib.get_functions()), "every function of the wheel, nothing else"
        assert {e["code"] for e in catalog if e["reference"] == "mytt"} == {"KDJ", "MACD_CN", "BIAS", "BOLL"}

        checked = 0
        for entry in talib_entries:
            code = entry["code"]
            response = c.get(f"/api/indicators/000001/{code}")
            if "periods" in entry["inputs"]:
                # MAVP's period series is not a column of stored bars: a clear 4xx.
                assert response.status_code == 422, (code, response.text)
                assert "periods" in response.json()["error"]["message"]
                continue
            assert response.status_code == 200, (code, response.text)
            body = response.json()
            assert body["dates"] == bars["dates"], code
            want = talib_outputs(TALIB_NAMES.get(code, code), bars)
            assert set(body["outputs"]) == set(entry["outputs"]), code
            for name, kind, theirs in zip(entry["outputs"], entry["output_types"], want):
                got = np.array([np.nan if v is None else v for v in body["outputs"][name]], dtype=np.float64)
                if kind == "integer":
                    assert np.issubdtype(theirs.dtype, np.integer), f"{code} {name}"
                    theirs = theirs.astype(np.float64)
                    theirs[: body["lookback"]] = np.nan
                    assert np.all(np.isnan(got) | (got == np.round(got))), f"{code}: integers"
                else:
                    assert not np.issubdtype(theirs.dtype, np.integer), f"{code} {name}: the wheel's is integer"
                assert np.array_equal(got, theirs, equal_nan=True), f"{code} {name}: bit for bit the wheel"
                checked += 1
        expected = sum(len(e["outputs"]) for e in talib_entries if "periods" not in e["inputs"])
        assert checked == expected > 200, (checked, expected)


def test_mavp_from_a_csv_with_a_periods_column_equals_the_wheel(tmp_path):
    """MAVP's period series comes from the file's `periods` column in `mystocks calc`."""
    rng = np.random.default_rng(3)
    n = 200
    close = 100.0 * np.cumprod(1.0 + rng.normal(0.0, 0.01, n))
    periods = (2 + np.arange(n) % 17).astype(np.float64)
    csv = tmp_path / "mavp.csv"
    with open(csv, "w") as f:
        f.write("date,close,periods\n")
        for i in range(n):
            f.write(f"2020-{1 + i // 28:02d}-{1 + i % 28:02d},{float(close[i])!r},{float(periods[i])!r}\n")
    engine = Engine(tmp_path, None)
    for matype in (0, 1, 8, 13):
        done = engine.run("calc", "--input", str(csv), "--indicator", "MAVP", "--param", "maxperiod=20",
                          "--param", f"matype={matype}")
        rows = [line.split(",") for line in done.stdout.splitlines()[1:]]
        got = np.array([float(r[1]) if r[1] else np.nan for r in rows])
        want = talib.MAVP(close, periods, minperiod=2, maxperiod=20, matype=matype)
        assert np.array_equal(got, want, equal_nan=True), matype
    # Without the column, a one-line error that names it.
    (tmp_path / "plain.csv").write_text("date,close\n2020-01-01,1.5\n2020-01-02,1.6\n")
    done = engine.run("calc", "--input", str(tmp_path / "plain.csv"), "--indicator", "MAVP", check=False)
    assert done.returncode != 0 and "periods" in done.stderr
