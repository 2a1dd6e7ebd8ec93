#!/usr/bin/env bash
# The HTTP server's figures (issue 11), in one run on this machine:
#
#   1. An L1 hit of GET /api/indicators/000001/RSI?timeperiod=14 over 250 bars, with wrk
#      (-t2, 10 s): throughput at 64 connections and p99 at 16; and in the same run nginx
#      serving the very same bytes as a static file: the limit of answering this request
#      over HTTP/1.1 here. Both servers and wrk share the same 2 cores.
#   2. The cold path: one request that computes MACD over 250 bars (p50, p99), embedded.
#   3. Three instances on one Redis: identical cold requests at once, the waiters' time
#      beyond the winner's (p50, p99), and exactly one computation per key.
#
# Installs wrk, nginx-light and redis-server from Debian if missing, builds the release
# binary, prints a table and writes everything to target/bench-http.json.
# Usage: scripts/bench_http.sh [seconds per wrk run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_RUN=${1:-10}

need() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}
need wrk || apt_install wrk
need nginx || [ -x /usr/sbin/nginx ] || apt_install nginx-light
need redis-server || apt_install redis-server
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release --quiet -p mystocks
BIN=$ROOT/target/release/mystocks
WORK=$(mktemp -d)
chmod 755 "$WORK"   # nginx's workers (user nobody when started as root) read www/ in it
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# serve NAME [VAR=value...]: starts `mystocks serve` and sets URL to its address.
serve() {
  local name=$1; shift
  env "$@" MYSTOCKS_BIND=127.0.0.1:0 "$BIN" serve >"$WORK/$name.out" 2>"$WORK/$name.log" &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    grep -q '^listening on ' "$WORK/$name.out" 2>/dev/null && break
    sleep 0.1
  done
  URL=$(sed -n 's/^listening on //p' "$WORK/$name.out")
  [ -n "$URL" ] || { echo "serve $name did not start:"; cat "$WORK/$name.log"; exit 1; }
}

# wrk_run URL CONNECTIONS: prints "requests_per_s p99_ms".
wrk_run() {
  wrk -t2 -c"$2" -d"${SECONDS_PER_RUN}s" --latency "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { if (bad) { print "wrk saw non-2xx answers" > "/dev/stderr"; exit 1 } printf "%.0f %.3f\n", rps, p99 }'
}

echo "== data: 200 symbols x 250 daily bars (embedded SQLite)"
DB="sqlite://$WORK/bench.db"
DATABASE_URL=$DB "$BIN" demo-data --symbols 200 --days 250 >/dev/null

echo "== L1 hit against nginx serving the same bytes"
serve hot DATABASE_URL="$DB"
HOT=$URL
PATH_Q="/api/indicators/000001/RSI?timeperiod=14"
curl -sf "$HOT$PATH_Q" >/dev/null   # computes; the next answer is the L1 hit
mkdir -p "$WORK/www/api/indicators/000001"
curl -sf "$HOT$PATH_Q" -o "$WORK/www/api/indicators/000001/RSI"
BYTES=$(stat -c %s "$WORK/www/api/indicators/000001/RSI")
BARS=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["dates"]))' "$WORK/www/api/indicators/000001/RSI")
grep -q '"source":"l1"' "$WORK/www/api/indicators/000001/RSI" || { echo "not an L1 hit"; exit 1; }
NGINX_PORT=$(free_port)
cat >"$WORK/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  keepalive_timeout 65;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    default_type application/json;
  }
}
EOF
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK" &
PIDS+=($!)
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$NGINX_PORT$PATH_Q" -o /dev/null && break; sleep 0.1; done
cmp -s <(curl -sf "http://127.0.0.1:$NGINX_PORT$PATH_Q") "$WORK/www/api/indicators/000001/RSI" \
  || { echo "nginx does not serve the same bytes:"; cat "$WORK/nginx.err"; exit 1; }
read -r NGINX_RPS _ < <(wrk_run "http://127.0.0.1:$NGINX_PORT$PATH_Q" 64)
read -r OURS_RPS _ < <(wrk_run "$HOT$PATH_Q" 64)
read -r _ NGINX_P99 < <(wrk_run "http://127.0.0.1:$NGINX_PORT$PATH_Q" 16)
read -r _ OURS_P99 < <(wrk_run "$HOT$PATH_Q" 16)
# The answer is still an L1 hit with the same bytes after the load.
cmp -s <(curl -sf "$HOT$PATH_Q") "$WORK/www/api/indicators/000001/RSI" || { echo "the answer changed under load"; exit 1; }

echo "== cold MACD, one instance, embedded"
serve cold DATABASE_URL="$DB"
COLD_JSON=$(python3 scripts/bench_http_cold.py cold "$URL" --count 200)

echo "== three instances on one Redis: waiters beyond the winner"
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$WORK/redis.log" &
PIDS+=($!)
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
BASES=()
for i in 1 2 3; do
  serve "inst$i" DATABASE_URL="$DB" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  BASES+=("$URL")
done
WAIT_JSON=$(python3 scripts/bench_http_cold.py waiters "${BASES[@]}" --count 40 --per-key 15)

mkdir -p target
python3 - "$NGINX_RPS" "$OURS_RPS" "$NGINX_P99" "$OURS_P99" "$BYTES" "$BARS" "$COLD_JSON" "$WAIT_JSON" "$SECONDS_PER_RUN" <<'EOF' | tee target/bench-http.json
import json, sys
n_rps, o_rps, n_p99, o_p99 = map(float, sys.argv[1:5])
cold, wait = json.loads(sys.argv[7]), json.loads(sys.argv[8])
out = {
    "l1_hit": {"path": "/api/indicators/000001/RSI?timeperiod=14", "bytes": int(sys.argv[5]), "bars": int(sys.argv[6]),
               "wrk_seconds": int(sys.argv[9]),
               "c64": {"nginx_rps": n_rps, "mystocks_rps": o_rps, "ratio": round(o_rps / n_rps, 3),
                       "target": ">= 0.9", "met": o_rps / n_rps >= 0.9},
               "c16": {"nginx_p99_ms": n_p99, "mystocks_p99_ms": o_p99, "ratio": round(o_p99 / n_p99, 3),
                       "target": "<= 1.2", "met": o_p99 / n_p99 <= 1.2}},
    "cold_macd": cold,
    "three_instances": {**wait, "target": "beyond_winner_p99_ms < 10",
                        "met": wait["beyond_winner_p99_ms"] is not None and wait["beyond_winner_p99_ms"] < 10},
}
print(json.dumps(out, indent=2))
EOF
