#!/usr/bin/env python3
"""Indicator speed, ours against TA-Lib, measured side by side in one run.

    pip install ta-lib==0.8.2 numpy
    python3 scripts/bench_vs_talib.py [--bars 1000000] [--runs 7] [--rounds 3] [--only ATR,SAR] [--json out.json]

Both sides compute every catalog indicator with its default parameters on a random
walk of the same length, output allocation included on both sides (TA-Lib's Python
wrapper allocates its outputs; ours returns fresh vectors). Each round runs ours
(`mystocks bench indicators`, median of `--runs`) and then TA-Lib (median of `--runs`);
rounds alternate so that both sides see the same machine conditions, and each side's
best round is kept — on a shared machine, interference only ever adds time.
Prints ns/bar for each and the ratio ours/TA-Lib (below 1.0 means we are faster).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import talib
from talib import abstract

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
def inputs_of(code):
    """TA-Lib's default input columns of a function, as its abstract API lists them."""
    names = []
    for v in abstract.Function(code).info["input_names"].values():
        names += v if isinstance(v, list) else [v]
    return names


CHINA = {"KDJ", "MACD_CN", "BIAS", "BOLL"}
# Catalog codes whose TA-Lib function has another name (the catalog's KDJ is MyTT's).
TALIB_NAMES = {"TA_KDJ": "KDJ"}


def walk(n, seed=42):
    rng = np.random.default_rng(seed)
    close = 100.0 * np.cumprod(1.0 + rng.uniform(-0.03, 0.03, n))
    spread = close * rng.uniform(0.0, 0.03, n)
    high = close + spread * rng.uniform(0, 1, n)
    low = close - spread * rng.uniform(0, 1, n)
    return {"open": low + (high - low) * rng.uniform(0, 1, n), "high": high, "low": low, "close": close,
            "volume": np.round(rng.uniform(1e5, 5e6, n)),
            # MAVP's period per bar, as `mystocks bench indicators` builds it.
            "periods": (2 + np.arange(n) % 29).astype(np.float64)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bars", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json")
    ap.add_argument("--only", help="comma-separated indicator codes (default: all)")
    args = ap.parse_args()

    cmd = ["cargo", "run", "--quiet", "--release", "-p", "mystocks", "--", "bench", "indicators",
           "--bars", str(args.bars), "--runs", str(args.runs), "--no-panel", "--json"]
    if args.only:
        cmd += ["--only", args.only]
    bars = walk(args.bars)
    best_ours, best_theirs, order = {}, {}, []
    for _ in range(max(1, args.rounds)):
        ours = json.loads(subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout)
        for t in ours["indicators"]:
            code = t["code"]
            if code not in best_ours:
                order.append(code)
            best_ours[code] = min(best_ours.get(code, float("inf")), t["ns_per_bar"])
            if code in CHINA:
                continue
            name = TALIB_NAMES.get(code, code)
            func = getattr(talib, name)
            cols = [bars[c] for c in inputs_of(name)]
            samples = []
            for _ in range(args.runs):
                start = time.perf_counter()
                func(*cols)
                samples.append(time.perf_counter() - start)
            theirs = statistics.median(samples) * 1e9 / args.bars
            best_theirs[code] = min(best_theirs.get(code, float("inf")), theirs)
    rows = []
    for code in order:
        mine, theirs = best_ours[code], best_theirs.get(code)
        rows.append((code, mine, theirs, None if theirs is None else mine / theirs))

    print(f"{'indicator':<10} {'ours ns/bar':>12} {'TA-Lib ns/bar':>14} {'ratio':>7}")
    for code, mine, theirs, ratio in rows:
        if theirs is None:
            print(f"{code:<10} {mine:>12.2f} {'(MyTT)':>14} {'':>7}")
        else:
            print(f"{code:<10} {mine:>12.2f} {theirs:>14.2f} {ratio:>7.2f}")
    compared = [r[3] for r in rows if r[3] is not None]
    slower = [r[0] for r in rows if r[3] is not None and r[3] > 1.0]
    print(f"bars={args.bars} runs={args.runs} rounds={args.rounds} ta-lib={talib.__version__} "
          f"median ratio={statistics.median(compared):.2f} max ratio={max(compared):.2f} "
          f"slower than TA-Lib: {', '.join(slower) or 'none'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"code": c, "ours_ns_per_bar": m, "talib_ns_per_bar": t, "ratio": r} for c, m, t, r in rows],
                      f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
