#!/usr/bin/env python3
"""Generate the indicator golden files from the reference implementations.

TA-Lib numbers come from the `ta-lib==0.8.2` wheel (it bundles the C library);
the China flavours (KDJ, MACD_CN, BIAS, BOLL) come from MyTT (`pip install mytt`).

    pip install ta-lib==0.8.2 mytt
    python3 scripts/gen_goldens.py            # writes crates/indicators/tests/golden/*.json.gz

Each output file is one input case: the OHLCV columns and, for every indicator and
parameter set, TA-Lib's (or MyTT's) outputs. Floats are written with Python's repr,
which round-trips exactly, and NaN as null, so the Rust test can compare bit for bit.
"""
import gzip
import importlib
import json
import math
import os
import sys

import numpy as np
import talib
from talib import abstract
import MyTT

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "crates", "indicators", "tests", "golden")
SAMPLE = os.path.join(ROOT, "fixtures", "us_daily_2000_2013.csv.gz")

# The cases, one module per TA-Lib function group (scripts/golden_cases/<group>.py),
# each a list CASES of (code, params): defaults first, then edge and alternative
# settings. A module may also define INPUTS = {code: [column, ...]} where TA-Lib's
# default input names are not OHLCV columns.
GROUPS = ["overlap", "momentum", "volume", "volatility", "cycle", "price_transform", "statistic",
          "math_transform", "math_operators", "pattern"]
sys.path.insert(0, os.path.join(ROOT, "scripts"))
CASE_MODULES = {g: importlib.import_module(f"golden_cases.{g}") for g in GROUPS + ["china"]}
TALIB_CASES = [case for g in GROUPS for case in CASE_MODULES[g].CASES]
CHINA_CASES = CASE_MODULES["china"].CASES
INPUT_OVERRIDES = {code: cols for m in CASE_MODULES.values() for code, cols in getattr(m, "INPUTS", {}).items()}
# Inputs that are not OHLCV columns (MAVP's period series): a module's EXTRA_INPUTS
# builds them from each input case (name -> function of the bars); they are written
# beside the columns.
EXTRA_INPUTS = {col: fn for m in CASE_MODULES.values() for col, fn in getattr(m, "EXTRA_INPUTS", {}).items()}
# Catalog codes whose TA-Lib function has another name (the catalog's KDJ is MyTT's).
TALIB_NAMES = {"TA_KDJ": "KDJ"}


def talib_inputs(code):
    """The OHLCV columns TA-Lib's function takes, in order, from its abstract info."""
    if code in INPUT_OVERRIDES:
        return INPUT_OVERRIDES[code]
    cols = []
    for value in abstract.Function(TALIB_NAMES.get(code, code)).info["input_names"].values():
        cols.extend(value if isinstance(value, list) else [value])
    return cols


def talib_run(code, params, bars):
    """TA-Lib's outputs by name. Integer outputs (the patterns, the *INDEX functions) are
    0 inside the lookback in the wheel; they are written as null there, as every other
    output's lookback is, and the Rust side gives NaN there too."""
    name = TALIB_NAMES.get(code, code)
    func = getattr(talib, name)
    args = [bars[c] for c in talib_inputs(code)]
    result = func(*args, **params)
    info = abstract.Function(name)
    info.set_parameters(params)
    names = info.info["output_names"]
    if not isinstance(result, tuple):
        result = (result,)
    outs = {}
    for name, arr in zip(names, result):
        if np.issubdtype(np.asarray(arr).dtype, np.integer):
            arr = np.asarray(arr, dtype=np.float64)
            begin = max((int(np.argmax(~np.isnan(a))) if (~np.isnan(a)).any() else len(a)) for a in args)
            arr[:min(len(arr), begin + info.lookback)] = np.nan
        outs[name] = arr
    return outs


def china_run(code, params, bars):
    c, h, l = bars["close"], bars["high"], bars["low"]
    with np.errstate(all="ignore"):
        if code == "KDJ":
            p = {"n": 9, "m1": 3, "m2": 3, **params}
            k, d, j = MyTT.KDJ(c, h, l, p["n"], p["m1"], p["m2"])
            return {"k": k, "d": d, "j": j}
        if code == "MACD_CN":
            p = {"short": 12, "long": 26, "m": 9, **params}
            dif, dea, macd = MyTT.MACD(c, p["short"], p["long"], p["m"])
            return {"dif": dif, "dea": dea, "macd": macd}
        if code == "BIAS":
            p = {"l1": 6, "l2": 12, "l3": 24, **params}
            b1, b2, b3 = MyTT.BIAS(c, p["l1"], p["l2"], p["l3"])
            return {"bias1": b1, "bias2": b2, "bias3": b3}
        if code == "BOLL":
            p = {"n": 20, "p": 2, **params}
            up, mid, lo = MyTT.BOLL(c, p["n"], p["p"])
            return {"upper": up, "mid": mid, "lower": lo}
    raise KeyError(code)


def to_json_list(arr):
    out = []
    for v in np.asarray(arr, dtype=np.float64):
        out.append(None if np.isnan(v) else (float(v) if np.isfinite(v) else str(v)))
    return out


def random_walk(n, seed, start=100.0, scale=1.0):
    rng = np.random.default_rng(seed)
    # math.exp (libm), not np.exp: numpy picks a SIMD exp by CPU, whose last bits differ
    # between machines, and the inputs must regenerate identically everywhere.
    close = start * np.array([math.exp(v) for v in np.cumsum(rng.normal(0, 0.02, n))])
    spread = close * rng.uniform(0.0, 0.03, n)
    high = close + spread * rng.uniform(0, 1, n)
    low = close - spread * rng.uniform(0, 1, n)
    open_ = low + (high - low) * rng.uniform(0, 1, n)
    volume = np.round(rng.uniform(1e5, 5e6, n))
    return {k: v * (scale if k != "volume" else 1.0) for k, v in
            {"open": open_, "high": high, "low": low, "close": close, "volume": volume}.items()}


def coarse_grid(n, seed):
    """Whole-number prices on a coarse grid: many equal opens, closes, highs and lows,
    gaps and doji, and runs of zero volume (ties, zero ranges, zero divisors)."""
    rng = np.random.default_rng(seed)
    cols = {k: np.empty(n) for k in ("open", "high", "low", "close", "volume")}
    prev = 100.0
    for i in range(n):
        op = prev + rng.integers(-3, 4)
        cl = op + rng.integers(-9, 10) * rng.choice([0, 1, 1, 2])
        cols["open"][i], cols["close"][i] = op, cl
        cols["high"][i] = max(op, cl) + rng.integers(0, 3) * rng.choice([0, 0, 1, 3])
        cols["low"][i] = min(op, cl) - rng.integers(0, 3) * rng.choice([0, 0, 1, 3])
        cols["volume"][i] = 0.0 if (i // 25) % 4 == 3 else float(rng.integers(1, 50) * 100)
        prev = cl if rng.random() < 0.7 else cl + rng.integers(-10, 11)
        if prev < 20:
            prev = 100.0
    return cols


# Candle shapes (open, high, low, close, relative to a base price) of patterns that a
# random walk almost never draws; planted (and mirrored) in a candle walk.
PATTERN_TEMPLATES = [
    [(10, 11, -12, 0), (5, 6, -5, 1), (0, 0, -1, -1)],                                   # three stars in the south
    [(10, 10, 0, 0), (0, 0, -10, -10), (-12, -5, -15, -14), (-3, -3, -18, -17)],         # concealing baby swallow
    [(20, 21, 9, 10), (7, 8, 3, 4), (4, 6, 0, 2), (2, 4, -3, -2), (-1, 9.5, -1.5, 8.5)],  # breakaway
    [(0, 11, -1, 10), (15, 16, 12, 13), (14, 14.5, 4, 5)],                                # two crows
    [(0, 12, -1, 11), (10, 10.5, 4, 4), (7, 7.5, -2, -2), (1, 1.5, -8, -8)],             # three black crows
    [(0, 8, 0, 8), (10, 11, 9, 9), (8, 8.5, 6, 7), (7.5, 8, 6, 6.5), (7, 12, 6.8, 12)],  # mat hold
    [(0, 8.2, -0.2, 8), (7, 7.5, 5, 6), (6, 6.5, 4, 5), (5, 5.5, 3, 4), (4.5, 10.5, 4.3, 10)],  # rising three
    [(8, 8, 0, 0), (9, 17, 9, 17)],                                                       # kicking
    [(8, 8, 4, 4), (9, 20, 9, 20)],                                                       # kicking by length
    [(0, 8, -0.2, 8), (10, 10.5, 8.9, 9), (11, 11.2, 7.9, 8.5)],                          # upside gap two crows
    [(10, 10.5, -0.1, 0), (4, 4.5, -3, 2), (-2, -1, -2.5, -1)],                           # unique three river
    [(10, 11, 6, 7), (8, 9, 4, 5), (6, 7, 2, 3), (4, 6, 1, 2), (5, 8, 4.5, 7.5)],         # ladder bottom
    [(10, 11, 5, 5), (5, 5.5, 0, 0), (0, 0.5, -5, -5)],                                   # identical three crows
]


def planted_patterns(n, seed):
    rng = np.random.default_rng(seed)
    cols = {k: np.empty(n) for k in ("open", "high", "low", "close")}
    prev = 100.0
    for i in range(n):
        op = prev + rng.normal(0, 0.5)
        cl = op + rng.normal(0, 3)
        cols["open"][i], cols["close"][i] = op, cl
        cols["high"][i] = max(op, cl) + abs(rng.normal(0, 1))
        cols["low"][i] = min(op, cl) - abs(rng.normal(0, 1))
        prev = cl
    i = 20
    while i < n - 10:
        template = PATTERN_TEMPLATES[rng.integers(len(PATTERN_TEMPLATES))]
        base, scale, mirror = cols["close"][i - 1], rng.choice([0.5, 1.0, 2.0]), rng.random() < 0.3
        for k, (o, h, l, c) in enumerate(template):
            shape = (-o, -l, -h, -c) if mirror else (o, h, l, c)
            for name, v in zip(("open", "high", "low", "close"), shape):
                cols[name][i + k] = base + scale * v
        i += len(template) + int(rng.integers(6, 20))
    cols["volume"] = np.round(rng.uniform(1e5, 5e6, n))
    return cols


def sample_symbol(symbol, limit):
    import csv
    rows = [r for r in csv.DictReader(gzip.open(SAMPLE, "rt")) if r["Ticker"] == symbol][:limit]
    col = lambda name: np.array([float(r[name]) for r in rows])
    return {"open": col("Open"), "high": col("High"), "low": col("Low"), "close": col("Close"),
            "volume": col("Volume")}, [r["Date"] for r in rows]


def cases():
    aapl, _ = sample_symbol("AAPL", 1500)
    yield "real_aapl", aapl
    yield "random_walk", random_walk(2000, 7)
    n = 120
    const = np.full(n, 10.0)
    yield "constant", {"open": const, "high": const, "low": const, "close": const, "volume": np.full(n, 1000.0)}
    steps = np.repeat([10.0, 12.0, 11.0, 15.0, 15.0, 9.0, 13.0, 13.5, 8.0, 10.0], 20)
    yield "steps", {"open": steps, "high": steps + 0.5, "low": steps - 0.5, "close": steps,
                    "volume": np.tile([1000.0, 2000.0, 1500.0, 0.0], 50)}
    rw = random_walk(240, 11)
    for lo, hi in [(30, 60), (120, 160)]:
        for k in ("open", "high", "low", "close"):
            rw[k][lo:hi] = 50.0
    yield "hh_equals_ll", rw
    yield "short", {k: v[:5] for k, v in random_walk(5, 3).items()}
    yield "huge", random_walk(400, 5, scale=1e9)
    yield "tiny", random_walk(400, 6, scale=1e-9)
    lead = random_walk(300, 9)
    for k in lead:
        lead[k][:17] = np.nan
    yield "leading_nan", lead
    yield "coarse_grid", coarse_grid(600, 1)
    yield "planted_patterns", planted_patterns(900, 4)
    # Plateaus right after large moves leave rounding residue in running sums, and at
    # 1e-13 the values sit inside TA-Lib's 1e-14 "is zero" band.
    flat = random_walk(400, 13, scale=1e-13)
    for lo, hi in [(100, 160), (250, 330)]:
        for k in ("open", "high", "low", "close"):
            flat[k][lo:hi] = flat["close"][lo - 1]
        flat["volume"][lo:hi] = 0.0
    yield "flat_tiny", flat


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, bars in cases():
        bars = {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in bars.items()}
        for col, fn in EXTRA_INPUTS.items():
            bars[col] = np.ascontiguousarray(fn(bars), dtype=np.float64)
        results = []
        for code, params in TALIB_CASES:
            outs = talib_run(code, params, bars)
            results.append({"code": code, "params": params, "reference": "talib",
                            "outputs": {k: to_json_list(v) for k, v in outs.items()}})
        for code, params in CHINA_CASES:
            outs = china_run(code, params, bars)
            results.append({"code": code, "params": params, "reference": "mytt",
                            "outputs": {k: to_json_list(v) for k, v in outs.items()}})
        doc = {"case": name, "talib_version": talib.__version__, "ta_c_version": talib.__ta_version__.decode(),
               "inputs": {k: to_json_list(v) for k, v in bars.items()}, "results": results}
        path = os.path.join(OUT_DIR, f"{name}.json.gz")
        with gzip.GzipFile(path, "wb", mtime=0) as f:
            f.write(json.dumps(doc, separators=(",", ":")).encode())
        print(f"{path}: {len(bars['close'])} bars, {len(results)} indicator runs", file=sys.stderr)


if __name__ == "__main__":
    main()
