#!/usr/bin/env python3
"""Checks that every metric a Grafana dashboard queries is exposed by the server.

    curl -s http://127.0.0.1:8000/metrics > metrics.txt
    python3 deploy/grafana/check_metrics.py metrics.txt deploy/grafana/mystocks-dashboard.json \
        [--rules deploy/prometheus/alerts.yml]

Several dumps (one per instance) may be given before the dashboard: a name passes when
any of them has it. Some series appear only once used: the job counters after the
instance ran a daily job (`mystocks_jobs_finished_total` after one ended), the breaker
series only with Redis configured. So take the dump from an instance that runs with
Redis and has run a job, e.g. after `curl -X POST .../api/jobs/daily`.

Reads every PromQL `expr` in the dashboard (wherever it sits in the model: panels,
rows, nested panels) and every templating query (`label_values(METRIC, label)`,
`query_result(...)`), extracts the metric names they select, and looks each up in the
Prometheus text dump.
A histogram is exposed as NAME_bucket, NAME_sum and NAME_count: those names match, the
bare NAME does not (it selects nothing). With --rules (needs PyYAML), the `expr` of every
rule in a Prometheus rule file is checked too.

Exit status: 0 when every name is exposed, 1 when one is missing, 2 on bad input.
Standard library only.
"""

import argparse
import json
import re
import sys

IDENT = re.compile(r"(?<![A-Za-z0-9_:.$])([A-Za-z_:][A-Za-z0-9_:]*)")
# Words of PromQL that look like identifiers but select nothing.
KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
    "and", "or", "unless", "offset", "inf", "nan", "atan2",
}
HIST_SUFFIXES = ("_bucket", "_sum", "_count")
# Series Prometheus itself adds to every target or keeps: never in a /metrics page.
PROMETHEUS_OWN = {
    "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
    "scrape_series_added", "ALERTS", "ALERTS_FOR_STATE",
}
SUMMARY_SUFFIXES = ("_sum", "_count")


def strip_strings(expr):
    """The expression with every string literal ("...", '...', `...`) replaced by ""."""
    out, i, n = [], 0, len(expr)
    while i < n:
        c = expr[i]
        if c in "\"'`":
            j = i + 1
            while j < n and expr[j] != c:
                j += 2 if expr[j] == "\\" and c != "`" else 1
            out.append('""')
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def metric_names(expr):
    """The metric names an expression selects."""
    names = set()
    # {__name__="x"} selects x.
    names.update(re.findall(r"__name__\s*=\s*\"([A-Za-z_:][A-Za-z0-9_:]*)\"", expr))
    names.update(re.findall(r"__name__\s*=\s*'([A-Za-z_:][A-Za-z0-9_:]*)'", expr))
    s = strip_strings(expr)
    s = re.sub(r"\{[^{}]*\}", " ", s)  # label matchers
    s = re.sub(r"\[[^\[\]]*\]", " ", s)  # ranges and subqueries
    s = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", " ", s)
    s = re.sub(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*", " ", s)  # Grafana variables
    s = re.sub(r"\boffset\s+-?[0-9A-Za-z_.]+", " ", s)  # offset 5m
    for m in IDENT.finditer(s):
        word = m.group(1)
        rest = s[m.end():].lstrip()
        if word.lower() in KEYWORDS or rest.startswith("("):
            continue  # a keyword, or a function / aggregation call
        names.add(word)
    return names


def templating_exprs(query):
    """PromQL inside a Grafana Prometheus variable query."""
    if isinstance(query, dict):
        query = query.get("query", "")
    if not isinstance(query, str):
        return []
    q = query.strip()
    m = re.fullmatch(r"label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)", q, re.S)
    if m:
        return [m.group(1)]
    m = re.fullmatch(r"query_result\((.*)\)", q, re.S)
    if m:
        return [m.group(1)]
    return []  # label_values(label), label_names(), metrics(regex): no metric selected


def dashboard_exprs(node, where="dashboard", out=None):
    """(panel title, expr) for every `expr` in the dashboard model, and the templating
    queries."""
    if out is None:
        out = []
    if isinstance(node, dict):
        if isinstance(node.get("title"), str) and ("targets" in node or "panels" in node):
            where = node["title"]
        if node.get("type") == "query" and "query" in node and "name" in node:
            for e in templating_exprs(node["query"]):
                out.append((f"variable ${node['name']}", e))
        for k, v in node.items():
            if k == "expr" and isinstance(v, str) and v.strip():
                out.append((where, v))
            else:
                dashboard_exprs(v, where, out)
    elif isinstance(node, list):
        for v in node:
            dashboard_exprs(v, where, out)
    return out


def rule_exprs(path):
    try:
        import yaml  # noqa: PLC0415 (only needed with --rules)
    except ImportError:
        sys.exit("check_metrics: --rules needs PyYAML (pip install pyyaml)")
    with open(path) as f:
        doc = yaml.safe_load(f)
    out = []
    for group in doc.get("groups", []):
        for rule in group.get("rules", []):
            name = rule.get("alert") or rule.get("record") or "rule"
            out.append((f"{path}: {name}", str(rule["expr"])))
    return out


def read_dump(path):
    """(sample names, {name: type}) of a Prometheus text exposition."""
    samples, types = set(), {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                parts = line.split()
                if len(parts) >= 4 and parts[1] == "TYPE":
                    types[parts[2]] = parts[3]
                continue
            m = re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line)
            if m:
                samples.add(m.group(0))
    return samples, types


def verdict(name, samples, types):
    """None when `name` is exposed, else why not."""
    if name in samples or name in PROMETHEUS_OWN:
        return None
    for suffix in HIST_SUFFIXES:
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            kind = types.get(base)
            if kind == "histogram" or (kind == "summary" and suffix in SUMMARY_SUFFIXES):
                return None
            if kind:
                return f"{base} is a {kind}: it has no {suffix} series"
    kind = types.get(name)
    if kind == "histogram":
        return f"{name} is a histogram: query {name}_bucket, {name}_sum or {name}_count"
    if kind:
        return f"{name} is declared ({kind}) but has no samples in the dump"
    return "not in the dump"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("metrics", nargs="+", help="/metrics text dumps (one or more)")
    ap.add_argument("dashboard", help="the Grafana dashboard JSON")
    ap.add_argument("--rules", action="append", default=[], help="a Prometheus rule file (YAML) to check too")
    args = ap.parse_args()
    try:
        samples, types = set(), {}
        for path in args.metrics:
            more_samples, more_types = read_dump(path)
            samples |= more_samples
            types.update(more_types)
        with open(args.dashboard) as f:
            dashboard = json.load(f)
    except (OSError, ValueError) as e:
        print(f"check_metrics: {e}", file=sys.stderr)
        return 2
    if not samples:
        print(f"check_metrics: {' '.join(args.metrics)} hold no samples", file=sys.stderr)
        return 2
    exprs = dashboard_exprs(dashboard)
    if not exprs:
        print(f"check_metrics: no expr found in {args.dashboard}", file=sys.stderr)
        return 2
    for path in args.rules:
        exprs += rule_exprs(path)

    used = {}
    for where, expr in exprs:
        names = metric_names(expr)
        if not names:
            print(f"check_metrics: no metric selected by `{expr}` ({where})", file=sys.stderr)
            return 2
        for name in names:
            used.setdefault(name, []).append(where)

    missing = 0
    for name in sorted(used):
        why = verdict(name, samples, types)
        if why is None:
            print(f"ok       {name}")
        else:
            missing += 1
            places = ", ".join(sorted(set(used[name])))
            print(f"MISSING  {name}: {why} (used in: {places})")
    print(f"{len(exprs)} expressions, {len(used)} metrics, {missing} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
