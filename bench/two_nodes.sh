#!/usr/bin/env bash
# Two-node figures for docs/SCALING.md: an ingest node (simulator, Redis and
# PostgreSQL writers, [cluster] node-id) and a gateway node (no ingesting
# provider, [cluster] subscribe = true) on one private Redis and PostgreSQL
# (scripts/services.sh, loopback, free ports).
#
#   1. latency: WebSocket clients on each node subscribe to the same trades
#      while the simulator runs at RATES trades/s in total; ws_load measures
#      now - ts_recv (the ingest node's receive time, same machine clock), so
#      the ingest node's figure is the local path and the gateway's the path
#      through the cache writer, Redis XADD (event streams) and the subscriber.
#   2. subscriber throughput: N_PUBLISH trade payloads of another node pushed
#      into Redis with redis-cli --pipe as fast as Redis takes them; the
#      gateway's redis_subscriber counters (GET /status) give the events/s it
#      decoded and passed to its broadcaster and L1 (8 WebSocket clients, one
#      per instrument, so frames are rendered and sent).
#
#   BUILD_DIR=build-rel bench/two_nodes.sh      (a Release/RelWithDebInfo tree
#                                                with actors/tickflow and bench/ws_load)
# Environment: BUILD_DIR, RATES (default "1000 5000"), SYMBOLS (4), CLIENTS
# (per node, 20), BENCH_SECONDS (10), N_PUBLISH (200000), OUT (results directory,
# default bench/results/two-nodes-<timestamp>).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$root/build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR=$root/$BUILD_DIR ;; esac
TICKFLOW=$BUILD_DIR/actors/tickflow
WSLOAD=$BUILD_DIR/bench/ws_load
RATES=${RATES:-1000 5000}
SYMBOLS=${SYMBOLS:-4}
CLIENTS=${CLIENTS:-20}
SECONDS_=${BENCH_SECONDS:-10}
N_PUBLISH=${N_PUBLISH:-200000}
OUT=${OUT:-$root/bench/results/two-nodes-$(date -u +%Y%m%dT%H%M%SZ)}

log() { printf '[two-nodes %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

for b in "$TICKFLOW" "$WSLOAD"; do [ -x "$b" ] || die "$b missing (set BUILD_DIR)"; done
command -v redis-cli >/dev/null || die "redis-cli missing"
mkdir -p "$OUT"
work=$(mktemp -d /tmp/two-nodes.XXXXXX)
svc_env=$work/services.env
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  [ -f "$svc_env" ] && "$root/scripts/services.sh" stop "$svc_env" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_node NAME CONFIG: sets <NAME>_PORT, <NAME>_WS, <NAME>_PID
start_node() {
  local name=$1 cfg=$2 port ws pid
  port=$(free_port); ws=$(free_port)
  timeout -k 5 900 "$TICKFLOW" --config "$cfg" --port "$port" --ws-port "$ws" \
    >"$OUT/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 150); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/ready" && break
    kill -0 "$pid" 2>/dev/null || { cat "$OUT/$name.log" >&2; die "$name exited"; }
    sleep 0.1
  done
  printf -v "${name}_PORT" %s "$port"
  printf -v "${name}_WS" %s "$ws"
  printf -v "${name}_PID" %s "$pid"
  # tickflow itself (timeout's child), for ws_load's CPU and RSS samples
  printf -v "${name}_CHILD" %s "$(pgrep -P "$pid" | head -1 || echo "$pid")"
}

stop_node() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# The gateway's redis_subscriber stage from /status: "events_in events_out rejected".
subscriber_counts() {
  curl -sf "http://127.0.0.1:$gateway_PORT/status" | python3 -c '
import json, sys
for s in json.load(sys.stdin)["stages"]:
    if s["name"] == "redis_subscriber":
        print(s.get("events_in", 0), s.get("events_out", 0), s.get("rejected", 0))'
}

log "private Redis and PostgreSQL"
"$root/scripts/services.sh" start "$svc_env" >/dev/null
# shellcheck disable=SC1090
. "$svc_env"
prefix=bench2n$$

common() { # $1: journal directory (its parent is created here)
  mkdir -p "$1"
  cat <<EOF
[log]
level = warn
[actors]
threads = 2
[redis]
enabled = true
port = $REDIS_PORT
key-prefix = $prefix
journal-dir = $1/redis
[storage]
enabled = true
dsn = $PG_DSN
journal-dir = $1/storage
[jobs]
enabled = false
EOF
}

symbols=""
channels=""
for i in $(seq "$SYMBOLS"); do
  symbols+="${symbols:+, }S${i}B.X:$((100 * i))"
  channels+="${channels:+,}trades:S${i}B.X"
done
upstream_port=$(free_port) # never answers: the gateway has nothing to ingest

{
  printf '{"date_utc":"%s","cores":%s,"load_start":"%s","symbols":%s,"clients_per_node":%s,' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$SYMBOLS" "$CLIENTS"
  printf '"seconds":%s,"n_publish":%s,"build_type":"%s"}\n' "$SECONDS_" "$N_PUBLISH" \
    "$(sed -nE 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD_DIR/CMakeCache.txt")"
} >"$OUT/meta.json"

# -- 1. latency: local path vs Redis pub/sub path ------------------------------------
for rate in $RATES; do
  per_symbol=$((rate / SYMBOLS))
  { common "$work/ingest-$rate"
    cat <<EOF
[providers]
enabled = simulator
[simulator]
symbols = $symbols
trades-per-second = $per_symbol
bar-intervals = 1s, 1m
[cluster]
node-id = ingest-1
EOF
  } >"$work/ingest.ini"
  { common "$work/gateway-$rate"
    cat <<EOF
[providers]
enabled = binance
[binance]
base-url = http://127.0.0.1:$upstream_port
[cluster]
node-id = gw-1
subscribe = true
EOF
  } >"$work/gateway.ini"
  log "rate $rate trades/s: nodes"
  start_node ingest "$work/ingest.ini"
  start_node gateway "$work/gateway.ini"
  sleep 2 # the gateway knows an instrument once its first event came through Redis
  for who in ingest gateway; do
    ws_var=${who}_WS
    pid_var=${who}_CHILD
    log "rate $rate trades/s: $CLIENTS clients on the $who node"
    "$WSLOAD" --url "ws://127.0.0.1:${!ws_var}/api/v1/stream" --clients "$CLIENTS" \
      --channels "$channels" --warmup 2 --seconds "$SECONDS_" --server-pid "${!pid_var}" \
      --label "$who@$rate" >>"$OUT/latency.jsonl"
  done
  stop_node "$gateway_PID"
  stop_node "$ingest_PID"
done

# -- 2. subscriber throughput -------------------------------------------------------
{ common "$work/gateway-flood"
  cat <<EOF
[providers]
enabled = binance
[binance]
base-url = http://127.0.0.1:$upstream_port
[cluster]
node-id = gw-1
subscribe = true
EOF
} >"$work/gateway.ini"
start_node gateway "$work/gateway.ini"
flood_channels=""
for i in $(seq 8); do flood_channels+="${flood_channels:+,}trades:F${i}B.X"; done
python3 - "$prefix" "$N_PUBLISH" "$work/flood.resp" "$work/first.resp" <<'EOF'
import sys
prefix, n, out, first = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def cmd(*args):
    b = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode()
        b += b"$%d\r\n%s\r\n" % (len(a), a)
    return b
def trade(i):
    inst = "F%dB.X" % (i % 8 + 1)
    ts = 1700000000000000000 + i
    data = ('{"instrument":"%s","provider":"binance","provider_symbol":"%s",'
            '"price":"%d.%02d","size":"0.015","side":"buy","trade_id":"%d",'
            '"ts":%d,"time":"2023-11-14T22:13:20Z","ts_recv":%d,"flags":[]}'
            % (inst, inst, 100 + i % 50, i % 100, i, ts, ts))
    # One stream entry per trade on the instrument's shard (FNV-1a mod 4,
    # as adapters/redis/redis_streams), as an ingest node's cache writer
    # writes a one-trade batch.
    h = 2166136261
    for c in inst.encode():
        h = ((h ^ c) * 16777619) & 0xffffffff
    return cmd("XADD", "%s:stream:%d" % (prefix, h % 4), "*", "o", "ingest-x", "n", "1",
               "e", '[{"type":"trade","data":%s}]' % data)
with open(first, "wb") as f:
    for i in range(8):
        f.write(trade(i))
with open(out, "wb") as f:
    for i in range(8, 8 + n):
        f.write(trade(i))
EOF
redis-cli -p "$REDIS_PORT" --pipe <"$work/first.resp" >/dev/null
sleep 0.5
read -r base _ _ < <(subscriber_counts) || die "no redis_subscriber stage in /status"
log "subscriber throughput: $N_PUBLISH messages"
"$WSLOAD" --url "ws://127.0.0.1:$gateway_WS/api/v1/stream" --clients 8 \
  --channels "$flood_channels" --warmup 0 --seconds 30 \
  --label flood-client >"$OUT/flood_client.json" 2>/dev/null &
ws_pid=$!
pids+=("$ws_pid")
sleep 1
t0=$(date +%s.%N)
redis-cli -p "$REDIS_PORT" --pipe <"$work/flood.resp" >/dev/null
t_pub=$(date +%s.%N)
target=$((base + N_PUBLISH))
got=$base
for _ in $(seq 1200); do
  read -r got _ rejected < <(subscriber_counts) || true
  [ "${got:-0}" -ge "$target" ] && break
  sleep 0.05
done
t1=$(date +%s.%N)
python3 - "$t0" "$t_pub" "$t1" "$N_PUBLISH" "$((got - base))" "${rejected:-0}" >"$OUT/throughput.json" <<'EOF'
import json, sys
t0, tp, t1 = map(float, sys.argv[1:4])
n, got, rej = map(int, sys.argv[4:7])
print(json.dumps({"published": n, "publish_s": round(tp - t0, 3),
                  "publish_per_s": round(n / (tp - t0)),
                  "received": got, "rejected": rej, "receive_s": round(t1 - t0, 3),
                  "subscriber_per_s": round(got / (t1 - t0))}))
EOF
wait "$ws_pid" 2>/dev/null || true
stop_node "$gateway_PID"

log "results in $OUT"
python3 - "$OUT" <<'EOF'
import json, sys, os
out = sys.argv[1]
print("| node | rate (trades/s) | clients | msgs/s received | p50 | p90 | p99 | p99.9 | node CPU |")
print("|---|---|---|---|---|---|---|---|---|")
lat = os.path.join(out, "latency.jsonl")
for line in (open(lat) if os.path.exists(lat) else []):
    r = json.loads(line)
    who, rate = r["label"].split("@")
    print("| %s | %s | %d | %.0f | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.0f%% |" % (
        who, rate, r["clients"], r["msgs_per_s"], r["p50_us"] / 1000,
        r["p90_us"] / 1000, r["p99_us"] / 1000, r["p999_us"] / 1000,
        100 * r["server_cpu"]))
t = json.load(open(os.path.join(out, "throughput.json")))
print()
print("subscriber: %(received)d of %(published)d messages in %(receive_s).2f s "
      "= %(subscriber_per_s)d events/s (Redis took them at %(publish_per_s)d/s; "
      "rejected %(rejected)d)" % t)
c = json.load(open(os.path.join(out, "flood_client.json")))
print("its 8 WebSocket clients received %d frames (fewer than published when "
      "they fell behind: the broadcaster conflates, newest update per channel)"
      % c["messages"])
EOF
