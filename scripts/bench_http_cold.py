#!/usr/bin/env python3
"""The HTTP server's cold paths, measured from outside with the standard library only
(run by scripts/bench_http.sh, which starts the servers).

  cold   one request per symbol for MACD over the symbol's bars, nothing cached:
         the time of one HTTP request that reads the bars and computes (p50, p99).
  waiters  for each key, N identical cold requests at once, spread over the given
         instances (one Redis): one instance computes (its concurrent requests share
         that computation), the others wait for its announcement. The waiters' time
         beyond the winner's first answer is reported (p50, p99), and the instances'
         computation counters must add up to exactly one per key.

Prints one JSON object."""
import argparse
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse


def get(url: str, timeout: float = 60.0):
    """(status, body, seconds) of one GET on a fresh connection."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    started = time.perf_counter()
    conn.request("GET", u.path + (f"?{u.query}" if u.query else ""))
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, body, elapsed


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def symbols_of(base: str, count: int):
    status, body, _ = get(f"{base}/api/stocks?limit={count}")
    if status != 200:
        sys.exit(f"GET /api/stocks: {status} {body[:200]!r}")
    return [row["code"] for row in json.loads(body)["stocks"]]


def cold(base: str, count: int):
    times = []
    for code in symbols_of(base, count):
        status, body, elapsed = get(f"{base}/api/indicators/{code}/MACD")
        if status != 200 or json.loads(body)["source"] != "computed":
            sys.exit(f"cold MACD {code}: {status} {body[:200]!r}")
        times.append(elapsed * 1000)
    return {"requests": len(times), "p50_ms": round(statistics.median(times), 3),
            "p99_ms": round(percentile(times, 99), 3)}


def waiters(bases, keys: int, per_key: int):
    codes = symbols_of(bases[0], keys)
    before = sum(json.loads(get(f"{b}/api/cache/stats")[1])["computations"] for b in bases)
    extra, wrong = [], []
    for code in codes:
        finished = [None] * per_key
        gate = threading.Barrier(per_key)

        def one(i):
            base = bases[i % len(bases)]
            gate.wait()
            status, body, _ = get(f"{base}/api/indicators/{code}/MACD?fastperiod=11")
            finished[i] = (time.perf_counter(), status, json.loads(body).get("source") if status == 200 else body)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(per_key)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if any(f[1] != 200 for f in finished):
            wrong.append((code, [f[1] for f in finished]))
            continue
        # The computing instance answers all its own concurrent requests from the one
        # computation ("computed"); the other instances' requests wait for it.
        winners = [f[0] for f in finished if f[2] == "computed"]
        if not winners:
            wrong.append((code, [f[2] for f in finished]))
            continue
        extra += [max(0.0, f[0] - min(winners)) * 1000 for f in finished if f[2] != "computed"]
    after = sum(json.loads(get(f"{b}/api/cache/stats")[1])["computations"] for b in bases)
    return {"instances": len(bases), "keys": len(codes), "requests_per_key": per_key,
            "computations": after - before, "wrong": wrong,
            "beyond_winner_p50_ms": round(statistics.median(extra), 3) if extra else None,
            "beyond_winner_p99_ms": round(percentile(extra, 99), 3) if extra else None,
            "beyond_winner_max_ms": round(max(extra), 3) if extra else None}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["cold", "waiters"])
    ap.add_argument("bases", nargs="+", help="server base URLs, e.g. http://127.0.0.1:8000")
    ap.add_argument("--count", type=int, default=200, help="symbols (cold) or keys (waiters)")
    ap.add_argument("--per-key", type=int, default=15)
    args = ap.parse_args()
    if args.mode == "cold":
        out = cold(args.bases[0], args.count)
    else:
        out = waiters(args.bases, args.count, args.per_key)
        if out["wrong"] or out["computations"] != out["keys"]:
            print(json.dumps(out), file=sys.stderr)
            sys.exit("waiters: a key was computed other than once, or a request failed")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
