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
import json
import os
import sys

import numpy as np
import talib
import MyTT

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "crates", "indicators", "tests", "golden")
SAMPLE = os.path.join(ROOT, "fixtures", "us_daily_2000_2013.csv.gz")

# (code, params) pairs: defaults first, then edge and alternative settings.
TALIB_CASES = [
    ("SMA", {}), ("SMA", {"timeperiod": 2}), ("SMA", {"timeperiod": 5}),
    ("EMA", {}), ("EMA", {"timeperiod": 2}), ("EMA", {"timeperiod": 12}),
    ("WMA", {}), ("WMA", {"timeperiod": 2}), ("WMA", {"timeperiod": 9}),
    ("DEMA", {}), ("DEMA", {"timeperiod": 5}),
    ("TEMA", {}), ("TEMA", {"timeperiod": 5}),
    ("TRIMA", {}), ("TRIMA", {"timeperiod": 7}), ("TRIMA", {"timeperiod": 2}),
    ("KAMA", {}), ("KAMA", {"timeperiod": 10}),
    ("BBANDS", {}), ("BBANDS", {"timeperiod": 20, "nbdevup": 2.0, "nbdevdn": 2.0, "matype": 0}),
    ("BBANDS", {"timeperiod": 10, "nbdevup": 1.5, "nbdevdn": 2.5, "matype": 1}),
    ("BBANDS", {"timeperiod": 10, "nbdevup": 1.0, "nbdevdn": 1.0, "matype": 2}),
    ("BBANDS", {"timeperiod": 6, "nbdevup": 2.0, "nbdevdn": 1.0, "matype": 3}),
    ("BBANDS", {"timeperiod": 6, "nbdevup": 1.0, "nbdevdn": 3.0, "matype": 4}),
    ("BBANDS", {"timeperiod": 8, "nbdevup": 2.0, "nbdevdn": 2.0, "matype": 5}),
    ("BBANDS", {"timeperiod": 8, "nbdevup": 2.0, "nbdevdn": 2.0, "matype": 6}),
    ("SAR", {}), ("SAR", {"acceleration": 0.05, "maximum": 0.3}), ("SAR", {"acceleration": 0.5, "maximum": 0.2}),
    ("MIDPOINT", {}), ("MIDPOINT", {"timeperiod": 3}),
    ("MACD", {}), ("MACD", {"fastperiod": 5, "slowperiod": 35, "signalperiod": 5}),
    ("MACD", {"fastperiod": 26, "slowperiod": 12, "signalperiod": 1}),
    ("RSI", {}), ("RSI", {"timeperiod": 2}), ("RSI", {"timeperiod": 6}),
    ("STOCH", {}), ("STOCH", {"fastk_period": 14, "slowk_period": 1, "slowk_matype": 0, "slowd_period": 1, "slowd_matype": 0}),
    ("STOCH", {"fastk_period": 9, "slowk_period": 3, "slowk_matype": 1, "slowd_period": 3, "slowd_matype": 1}),
    ("STOCHF", {}), ("STOCHF", {"fastk_period": 14, "fastd_period": 3, "fastd_matype": 2}),
    ("STOCHRSI", {}), ("STOCHRSI", {"timeperiod": 9, "fastk_period": 3, "fastd_period": 3, "fastd_matype": 0}),
    ("ADX", {}), ("ADX", {"timeperiod": 5}),
    ("PLUS_DI", {}), ("PLUS_DI", {"timeperiod": 1}), ("PLUS_DI", {"timeperiod": 5}),
    ("MINUS_DI", {}), ("MINUS_DI", {"timeperiod": 1}), ("MINUS_DI", {"timeperiod": 5}),
    ("CCI", {}), ("CCI", {"timeperiod": 20}), ("CCI", {"timeperiod": 40}),
    ("WILLR", {}), ("WILLR", {"timeperiod": 5}),
    ("MOM", {}), ("MOM", {"timeperiod": 1}),
    ("ROC", {}), ("ROC", {"timeperiod": 1}),
    ("CMO", {}), ("CMO", {"timeperiod": 5}),
    ("TRIX", {}), ("TRIX", {"timeperiod": 1}), ("TRIX", {"timeperiod": 9}),
    ("AROON", {}), ("AROON", {"timeperiod": 5}),
    ("MFI", {}), ("MFI", {"timeperiod": 5}), ("MFI", {"timeperiod": 60}),
    ("OBV", {}), ("AD", {}),
    ("ATR", {}), ("ATR", {"timeperiod": 1}), ("ATR", {"timeperiod": 5}),
    ("NATR", {}), ("NATR", {"timeperiod": 5}),
    ("TRANGE", {}),
    ("STDDEV", {}), ("STDDEV", {"timeperiod": 20, "nbdev": 2.0}),
    ("ROCP", {}), ("ROCP", {"timeperiod": 1}), ("ROCR", {}), ("ROCR", {"timeperiod": 1}),
    ("ROCR100", {}), ("ROCR100", {"timeperiod": 1}),
    ("MIDPRICE", {}), ("MIDPRICE", {"timeperiod": 2}), ("MIDPRICE", {"timeperiod": 5}),
    ("AROONOSC", {}), ("AROONOSC", {"timeperiod": 5}), ("BOP", {}),
    ("VAR", {}), ("VAR", {"timeperiod": 1}), ("VAR", {"timeperiod": 20, "nbdev": 2.0}),
    ("MA", {}), ("MA", {"timeperiod": 1, "matype": 3}),
    *[("MA", {"timeperiod": 10, "matype": t}) for t in range(7)],
    # Price Transform
    ("AVGPRICE", {}), ("MEDPRICE", {}), ("TYPPRICE", {}), ("WCLPRICE", {}),
    # Math Operators: two-series ones on TA-Lib's default inputs (high, low)
    ("ADD", {}), ("SUB", {}), ("MULT", {}), ("DIV", {}), ("CUMSUM", {}),
    ("MAX", {}), ("MAX", {"timeperiod": 2}), ("MAX", {"timeperiod": 9}),
    ("MIN", {}), ("MIN", {"timeperiod": 2}), ("MIN", {"timeperiod": 9}),
    ("SUM", {}), ("SUM", {"timeperiod": 2}), ("SUM", {"timeperiod": 9}),
    ("MINMAX", {}), ("MINMAX", {"timeperiod": 2}), ("MINMAX", {"timeperiod": 9}),
    # Math Transform, on the close (outside a domain, e.g. ACOS of prices above 1, NaN)
    *[(code, {}) for code in ("ACOS", "ASIN", "ATAN", "CEIL", "COS", "COSH", "EXP", "FLOOR", "LN", "LOG10",
                              "SIN", "SINH", "SQRT", "TAN", "TANH")],
]

CHINA_CASES = [
    ("KDJ", {}), ("KDJ", {"n": 5, "m1": 2, "m2": 4}),
    ("MACD_CN", {}), ("MACD_CN", {"short": 6, "long": 13, "m": 5}),
    ("BIAS", {}), ("BIAS", {"l1": 3, "l2": 7, "l3": 30}),
    ("BOLL", {}), ("BOLL", {"n": 10, "p": 1.5}),
]

# TA-Lib python takes the inputs in this order, from the OHLCV columns.
TALIB_INPUTS = {
    "SAR": ["high", "low"], "AROON": ["high", "low"],
    "ADX": ["high", "low", "close"], "PLUS_DI": ["high", "low", "close"], "MINUS_DI": ["high", "low", "close"],
    "CCI": ["high", "low", "close"], "WILLR": ["high", "low", "close"], "STOCH": ["high", "low", "close"],
    "STOCHF": ["high", "low", "close"], "ATR": ["high", "low", "close"], "NATR": ["high", "low", "close"],
    "TRANGE": ["high", "low", "close"],
    "MFI": ["high", "low", "close", "volume"], "AD": ["high", "low", "close", "volume"],
    "OBV": ["close", "volume"],
    "MIDPRICE": ["high", "low"], "AROONOSC": ["high", "low"], "BOP": ["open", "high", "low", "close"],
    "AVGPRICE": ["open", "high", "low", "close"], "MEDPRICE": ["high", "low"],
    "TYPPRICE": ["high", "low", "close"], "WCLPRICE": ["high", "low", "close"],
    "ADD": ["high", "low"], "SUB": ["high", "low"], "MULT": ["high", "low"], "DIV": ["high", "low"],
}
TALIB_OUTPUTS = {
    "BBANDS": ["upperband", "middleband", "lowerband"],
    "MACD": ["macd", "macdsignal", "macdhist"],
    "STOCH": ["slowk", "slowd"], "STOCHF": ["fastk", "fastd"], "STOCHRSI": ["fastk", "fastd"],
    "AROON": ["aroondown", "aroonup"],
    "MINMAX": ["min", "max"],
}


def talib_run(code, params, bars):
    func = getattr(talib, code)
    args = [bars[c] for c in TALIB_INPUTS.get(code, ["close"])]
    result = func(*args, **params)
    names = TALIB_OUTPUTS.get(code, ["real"])
    if not isinstance(result, tuple):
        result = (result,)
    return dict(zip(names, result))


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
    close = start * np.exp(np.cumsum(rng.normal(0, 0.02, n)))
    spread = close * rng.uniform(0.0, 0.03, n)
    high = close + spread * rng.uniform(0, 1, n)
    low = close - spread * rng.uniform(0, 1, n)
    open_ = low + (high - low) * rng.uniform(0, 1, n)
    volume = np.round(rng.uniform(1e5, 5e6, n))
    return {k: v * (scale if k != "volume" else 1.0) for k, v in
            {"open": open_, "high": high, "low": low, "close": close, "volume": volume}.items()}


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


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, bars in cases():
        bars = {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in bars.items()}
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
