#!/usr/bin/env bash
# Runs every tickflow benchmark in one go, each beside a reference measured in
# the same run on the same machine, and writes the generated section of
# docs/PERFORMANCE.md (between its markers). Run it after ./test.sh built the
# project; a full run takes about 4-5 minutes, BENCH_QUICK=1 about 1.5.
#
#   bench/run.sh                       full run (build/ by default)
#   BENCH_QUICK=1 bench/run.sh         2-second measurements (smoke test)
#   BUILD_DIR=build-x bench/run.sh     another build tree (not Debug!)
#
# Environment:
#   BUILD_DIR    build tree with actors/tickflow, bench/ingest_bench, bench/ws_load
#   TICKFLOW     the service binary (default $BUILD_DIR/actors/tickflow)
#   WS_CLIENTS   WebSocket fan-out clients (default 1000)
#   BENCH_OUT    where raw results go (default bench/results/<timestamp>)
#   BENCH_DOC    the document to update (default docs/PERFORMANCE.md; "-" = none)
#   BENCH_NOTE   a note printed under the table (e.g. "measured while other
#                builds were running")
#   BENCH_ONLY   space-separated subset of: ingest latency rest ws rss storage
#
# Reference tools (wrk, nginx, Debian's node-ws) are installed with apt when
# missing. Every server started here listens on 127.0.0.1 only, runs under
# `timeout`, and is stopped by the EXIT trap. The storage step starts a
# private Redis and PostgreSQL with scripts/services.sh (loopback, free ports)
# and stops them with its own stop subcommand in the same trap.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$root/build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR=$root/$BUILD_DIR ;; esac
TICKFLOW=${TICKFLOW:-$BUILD_DIR/actors/tickflow}
INGEST=$BUILD_DIR/bench/ingest_bench
WSLOAD=$BUILD_DIR/bench/ws_load
SBENCH=$BUILD_DIR/bench/storage_bench
WS_CLIENTS=${WS_CLIENTS:-1000}
QUICK=${BENCH_QUICK:-0}
ONLY=${BENCH_ONLY:-ingest latency rest ws rss storage}
DOC=${BENCH_DOC:-$root/docs/PERFORMANCE.md}
OUT=${BENCH_OUT:-$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
export NODE_PATH=/usr/share/nodejs

if [ "$QUICK" = 1 ]; then
  D_INGEST=2; D_LAT=2; D_WRK=2; D_WS=2; WARM=0.5; WS_WARM=1; N_STORAGE=100000
else
  D_INGEST=5; D_LAT=10; D_WRK=10; D_WS=10; WARM=1; WS_WARM=2; N_STORAGE=1000000
fi

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
want() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# -- reference tools, installed like scripts/install-deps.sh does ------------------
install_tools() {
  local missing=()
  for p in wrk nginx node-ws curl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  command -v node >/dev/null || missing+=(nodejs)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

# -- processes started here: stopped by the trap ----------------------------------
pids=()
nginx_dirs=()
svc_env=""  # scripts/services.sh's env file while its servers run
cleanup() {
  local d p
  if [ -n "$svc_env" ] && [ -f "$svc_env" ]; then
    "$root/scripts/services.sh" stop "$svc_env" || true
  fi
  for d in "${nginx_dirs[@]}"; do
    [ -s "$d/nginx.pid" ] && kill -QUIT "$(cat "$d/nginx.pid")" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 0.2
  for p in "${pids[@]}"; do
    for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  for d in "${nginx_dirs[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The process `timeout` runs (its only child).
child_of() {
  local p
  for _ in $(seq 50); do
    p=$(pgrep -P "$1" | head -1 || true)
    [ -n "$p" ] && { echo "$p"; return 0; }
    sleep 0.05
  done
  echo "$1"
}

# Prints {"rss_kb":..,"hwm_kb":..} of a pid.
rss_json() {
  awk '/^VmRSS:/{r=$2} /^VmHWM:/{h=$2} END{printf "{\"rss_kb\":%d,\"hwm_kb\":%d}", r, h}' \
    "/proc/$1/status" 2>/dev/null || echo '{"rss_kb":0,"hwm_kb":0}'
}

# stop_pid PID [CHILD]: TERM to the server itself (CHILD, the process that
# `timeout` PID runs), KILL after 5 s; then the same for PID.
stop_pid() {
  local p
  for p in ${2:-} "$1"; do
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  wait "$1" 2>/dev/null || true
  forget "$1" ${2:-}
}

# Drops stopped processes from the trap's list (their ids may be reused).
forget() {
  local keep=() p q drop
  for p in "${pids[@]}"; do
    drop=0
    for q in "$@"; do [ "$p" = "$q" ] && drop=1; done
    [ $drop = 0 ] && keep+=("$p")
  done
  pids=("${keep[@]}")
}

# start_tickflow CONFIG(or -) REST_PORT WS_PORT LOGFILE: sets TF_PID (timeout's), TF_CHILD
start_tickflow() {
  local cfg=() 
  [ "$1" != - ] && cfg=(--config "$1")
  timeout -k 5 300 "$TICKFLOW" "${cfg[@]}" --port "$2" --ws-port "$3" >"$4" 2>&1 &
  TF_PID=$!
  pids+=("$TF_PID")
  TF_CHILD=$(child_of "$TF_PID")
  pids+=("$TF_CHILD")
  for _ in $(seq 150); do
    if curl -sf -o /dev/null "http://127.0.0.1:$2/ready"; then return 0; fi
    kill -0 "$TF_PID" 2>/dev/null || { cat "$4" >&2; die "tickflow exited"; }
    sleep 0.1
  done
  cat "$4" >&2
  die "tickflow not ready on port $2 within 15 s"
}

# config_with_rate FILE TRADES_PER_SECOND [TIMER] > new config
config_with_rate() {
  sed -E -e "s/^trades-per-second = .*/trades-per-second = $2/" \
    -e "s/^timer = .*/timer = ${3:-10ms}/" "$1"
}

# The fan-out config's instruments, and its trade channels.
fanout_cfg=$root/bench/configs/fanout.ini
instruments=$(sed -nE 's/^symbols = //p' "$fanout_cfg" | tr -d ' ' | tr ',' '\n' | cut -d: -f1 | paste -sd, -)
channels=$(echo "$instruments" | tr ',' '\n' | sed 's/^/trades:/' | paste -sd, -)

# ==================================================================================
mkdir -p "$OUT"
log "results in $OUT"
for b in "$TICKFLOW" "$INGEST" "$WSLOAD"; do
  [ -x "$b" ] || die "$b missing: run ./test.sh first (or set BUILD_DIR)"
done
if want storage; then
  [ -x "$SBENCH" ] || die "$SBENCH missing: run ./test.sh first (or set BUILD_DIR)"
fi
build_type=$(sed -nE 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
if [ "$build_type" = Debug ]; then
  log "warning: $BUILD_DIR is a Debug build: figures will be meaningless"
fi
install_tools
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

started=$(date +%s)
{
  printf '{"date_utc":"%s","host_cpu":"%s","cores":%s,"kernel":"%s",' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$(lscpu 2>/dev/null | sed -nE 's/^Model name: *//p' | head -1)" "$(nproc)" "$(uname -r)"
  printf '"load_start":"%s","build_dir":"%s","build_type":"%s","quick":%s,' \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "${BUILD_DIR#$root/}" "$build_type" "$QUICK"
  printf '"tickflow_bin":"%s",' "${TICKFLOW#$root/}"
  printf '"git":"%s","ws_clients":%s,"note":"%s",' \
    "$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$root" && [ -n "$(git status --porcelain 2>/dev/null | head -1)" ] && echo '+dirty')" \
    "$WS_CLIENTS" "${BENCH_NOTE:-}"
  printf '"durations":{"ingest":%s,"latency":%s,"wrk":%s,"ws":%s},"storage_rows":%s}\n' "$D_INGEST" "$D_LAT" "$D_WRK" "$D_WS" "$N_STORAGE"
} >"$OUT/meta.json"

# -- 1. ingest (in-process pipeline) ------------------------------------------------
ingest() {
  local label=$1; shift
  log "ingest: $label"
  timeout -k 5 180 "$INGEST" --label "$label" "$@" >>"$OUT/ingest.jsonl" \
    || log "ingest $label failed (exit $?)"
}
if want ingest; then
  ingest floor --mode parse --seconds "$D_INGEST" --warmup "$WARM"
  ingest feeder --mode generate --seconds "$D_INGEST" --warmup "$WARM"
  ingest pipeline --seconds "$D_INGEST" --warmup "$WARM"
  ingest validators-1 --validators 1 --seconds "$D_INGEST" --warmup "$WARM"
  ingest validators-4 --validators 4 --seconds "$D_INGEST" --warmup "$WARM"
  for n in 100 1000 10000; do
    ingest "symbols-$n" --symbols "$n" --seconds "$D_INGEST" --warmup "$WARM"
  done
fi

# -- 4a. latency in-process at fixed rates ------------------------------------------
if want latency; then
  for r in 1000 10000 100000; do
    ingest "rate-$r" --rate "$r" --seconds "$D_LAT" --warmup "$WARM"
  done
  # Per stage at 10,000 events/s: the latency sink in place of the validators,
  # then of the router (the full pipeline is rate-10000 above).
  for stage in shard validate; do
    ingest "stage-$stage" --rate 10000 --stop-after "$stage" --seconds "$D_LAT" --warmup "$WARM"
  done
fi

# -- WebSocket runs: one server (tickflow or the Node reference), one ws_load ------
# ws_tickflow LABEL CONFIG CLIENTS CHANNELS OUTFILE
ws_tickflow() {
  log "$1: tickflow, $3 clients"
  local rp wp
  rp=$(free_port); wp=$(free_port)
  start_tickflow "$2" "$rp" "$wp" "$OUT/tickflow-$1.log"
  timeout -k 5 180 "$WSLOAD" --label "$1" --url "ws://127.0.0.1:$wp/api/v1/stream" \
    --clients "$3" --channels "$4" --warmup "$WS_WARM" --seconds "$D_WS_RUN" \
    --server-pid "$TF_CHILD" >>"$OUT/$5" || log "ws_load $1 failed (exit $?)"
  printf '{"label":"%s","proc":%s}\n' "$1" "$(rss_json "$TF_CHILD")" >>"$OUT/rss.jsonl"
  stop_pid "$TF_PID" "$TF_CHILD"
}

# ws_node LABEL INSTRUMENTS RATE CLIENTS CHANNELS OUTFILE [TIMER_MS]
ws_node() {
  log "$1: Node ws reference, $4 clients"
  local np node_pid node_child
  np=$(free_port)
  timeout -k 5 300 node "$root/bench/ws_reference_server.js" --port "$np" \
    --instruments "$2" --rate "$3" --timer-ms "${7:-10}" --max-seconds 280 \
    >"$OUT/node-$1.out" 2>"$OUT/node-$1.err" &
  node_pid=$!
  disown "$node_pid" # under overload it may need a KILL: no job report for that
  pids+=("$node_pid")
  node_child=$(child_of "$node_pid")
  pids+=("$node_child")
  for _ in $(seq 100); do grep -q '^listening' "$OUT/node-$1.out" 2>/dev/null && break; sleep 0.1; done
  grep -q '^listening' "$OUT/node-$1.out" || die "reference server did not start"
  timeout -k 5 180 "$WSLOAD" --label "$1" --url "ws://127.0.0.1:$np/api/v1/stream" \
    --clients "$4" --channels "$5" --warmup "$WS_WARM" --seconds "$D_WS_RUN" \
    --server-pid "$node_child" >>"$OUT/$6" || log "ws_load $1 failed (exit $?)"
  printf '{"label":"%s","proc":%s}\n' "$1" "$(rss_json "$node_child")" >>"$OUT/rss.jsonl"
  stop_pid "$node_pid" "$node_child"
}

# -- 4b. latency through the service: simulator -> ... -> WebSocket client ----------
if want latency; then
  D_WS_RUN=$D_LAT
  for r in 1000 10000 100000; do
    cfg=$OUT/latency-$r.ini
    config_with_rate "$fanout_cfg" $((r / 10)) >"$cfg"
    ws_tickflow "service-rate-$r" "$cfg" 10 "$channels" latency.jsonl
    ws_node "node-rate-$r" "$instruments" "$r" 10 "$channels" latency.jsonl
  done
  # The same 10,000 events/s in batches of 1 ms (10 events) instead of 10 ms
  # (100 events): a live stream delivers trades one by one, not in clumps.
  cfg=$OUT/latency-10000-1ms.ini
  config_with_rate "$fanout_cfg" 1000 1ms >"$cfg"
  ws_tickflow "service-rate-10000-1ms" "$cfg" 10 "$channels" latency.jsonl
  ws_node "node-rate-10000-1ms" "$instruments" 10000 10 "$channels" latency.jsonl 1
fi

# -- 2. REST: tickflow vs nginx ------------------------------------------------------
# CPU ticks (user + system) used so far by the given processes.
cpu_ticks() {
  local t=0 p v
  for p in "$@"; do
    v=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null || echo 0)
    t=$((t + ${v:-0}))
  done
  echo "$t"
}

# wrk_run LABEL URL PID...: warm-up, then the measured run; the servers' CPU
# use during it goes to rest.jsonl.
wrk_run() {
  local label=$1 url=$2 c0 c1 t0 t1
  shift 2
  timeout -k 5 60 wrk -t2 -c64 -d2s "$url" >/dev/null 2>&1 || true # warm-up
  c0=$(cpu_ticks "$@"); t0=$(date +%s.%N)
  timeout -k 5 60 wrk -t2 -c64 -d"${D_WRK}s" --latency "$url" >"$OUT/wrk-$label.txt" 2>&1 \
    || log "wrk $label failed"
  c1=$(cpu_ticks "$@"); t1=$(date +%s.%N)
  python3 -c 'import sys; l,c0,c1,t0,t1,hz=sys.argv[1:]; print("{\"label\":\"%s\",\"server_cpu\":%.3f}" % (l, (int(c1)-int(c0))/float(hz)/(float(t1)-float(t0))))' \
    "$label" "$c0" "$c1" "$t0" "$t1" "$(getconf CLK_TCK)" >>"$OUT/rest.jsonl"
}
if want rest; then
  log "REST: tickflow"
  rp=$(free_port); wp=$(free_port)
  start_tickflow - "$rp" "$wp" "$OUT/tickflow-rest.log"
  url_path="/api/v1/data/price?symbol=BTC-USDT"
  curl -sf -D "$OUT/price.headers" -o "$OUT/price.json" "http://127.0.0.1:$rp$url_path" \
    || die "GET $url_path failed"
  wrk_run tickflow "http://127.0.0.1:$rp$url_path" "$TF_CHILD"
  printf '{"label":"rest-tickflow","proc":%s}\n' "$(rss_json "$TF_CHILD")" >>"$OUT/rss.jsonl"
  stop_pid "$TF_PID" "$TF_CHILD"

  log "REST: nginx (same body as a static file)"
  nd=$(mktemp -d /tmp/tickflow-bench-nginx.XXXXXX)
  nginx_dirs+=("$nd")
  chmod 755 "$nd" # mktemp gives 0700: nginx's workers (not root) must read www/
  mkdir -p "$nd/www/api/v1/data" "$nd/tmp"
  cp "$OUT/price.json" "$nd/www/api/v1/data/price"
  chmod -R a+rX "$nd/www"
  np=$(free_port)
  cat >"$nd/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $nd/nginx.pid;
error_log $nd/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path $nd/tmp/body;
  proxy_temp_path $nd/tmp/proxy;
  fastcgi_temp_path $nd/tmp/fastcgi;
  uwsgi_temp_path $nd/tmp/uwsgi;
  scgi_temp_path $nd/tmp/scgi;
  server {
    listen 127.0.0.1:$np;
    root $nd/www;
    default_type application/json;
  }
}
EOF
  timeout -k 5 120 nginx -p "$nd" -c "$nd/nginx.conf" -e "$nd/error.log" &
  ngx_pid=$!
  pids+=("$ngx_pid")
  for _ in $(seq 50); do [ -s "$nd/nginx.pid" ] && break; sleep 0.1; done
  [ -s "$nd/nginx.pid" ] || { cat "$nd/error.log" >&2; die "nginx did not start"; }
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$np/" && break; sleep 0.1; done
  curl -sf -o "$OUT/nginx-price.json" "http://127.0.0.1:$np$url_path" || die "nginx GET failed"
  cmp -s "$OUT/price.json" "$OUT/nginx-price.json" || die "nginx serves other bytes"
  wrk_run nginx "http://127.0.0.1:$np$url_path" $(cat "$nd/nginx.pid") $(pgrep -P "$(cat "$nd/nginx.pid")" || true)
  nginx_rss=0
  for p in $(cat "$nd/nginx.pid") $(pgrep -P "$(cat "$nd/nginx.pid")" || true); do
    nginx_rss=$((nginx_rss + $(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  printf '{"label":"rest-nginx","proc":{"rss_kb":%s,"hwm_kb":0}}\n' "$nginx_rss" >>"$OUT/rss.jsonl"
  kill -QUIT "$(cat "$nd/nginx.pid")" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$ngx_pid" 2>/dev/null || break; sleep 0.1; done
  stop_pid "$ngx_pid"
  rm -rf "$nd"
fi

# -- 3. WebSocket fan-out: tickflow vs Node ws ----------------------------------------
if want ws; then
  D_WS_RUN=$D_WS
  ws_tickflow fanout-tickflow "$fanout_cfg" "$WS_CLIENTS" "$channels" ws.jsonl
  ws_node fanout-node "$instruments" 10000 "$WS_CLIENTS" "$channels" ws.jsonl
fi

# -- RSS: 1,000 clients on 1,000 symbols (10,000 events/s in total) -------------------
if want rss; then
  D_WS_RUN=$D_WS
  cfg=$OUT/rss-1000.ini
  rss_instruments=$(for i in $(seq 0 999); do printf 'S%05d-USDT\n' "$i"; done | paste -sd, -)
  rss_channels=$(echo "$rss_instruments" | tr ',' '\n' | sed 's/^/trades:/' | paste -sd, -)
  {
    echo "# generated by bench/run.sh: 1000 instruments x 10 trades/s"
    echo "[log]"; echo "level = warn"
    echo "[broadcaster]"; echo "max-clients = 2000"
    echo "[simulator]"
    echo "symbols = $(echo "$rss_instruments" | sed 's/,/:100.00, /g'):100.00"
    echo "trades-per-second = 10"
  } >"$cfg"
  ws_tickflow rss-tickflow "$cfg" 1000 "$rss_channels" ws.jsonl
  ws_node rss-node "$rss_instruments" 10000 1000 "$rss_channels" ws.jsonl
fi

# -- 5. storage writers: Postgres vs psql \copy, Redis vs redis-benchmark -----------
trade_cols=provider,instrument,trade_id,ts_event,ts_event_ns,price,size,side,provider_symbol,flags,ts_recv_ns
if want storage; then
  log "storage: starting private Redis + PostgreSQL (scripts/services.sh)"
  svc_env=$(mktemp -u /tmp/tickflow-bench-services.XXXXXX.env)
  "$root/scripts/services.sh" start "$svc_env" >"$OUT/services.log" 2>&1 \
    || { cat "$OUT/services.log" >&2; die "scripts/services.sh start failed"; }
  REDIS_PORT=$(sed -n 's/^REDIS_PORT=//p' "$svc_env")
  PG_DSN=$(sed -n 's/^PG_DSN=//p' "$svc_env")
  csv=$OUT/storage-trades.csv

  log "storage: tickflow Postgres writer, $N_STORAGE trades"
  timeout -k 5 900 "$SBENCH" --mode postgres --label pg-tickflow --dsn "$PG_DSN" \
    --rows "$N_STORAGE" --csv "$csv" --journal-dir "$OUT/storage-journal" \
    >>"$OUT/storage.jsonl" 2>>"$OUT/storage_bench.err" \
    || log "storage_bench postgres failed (exit $?)"
  rm -rf "$OUT/storage-journal"

  if [ -s "$csv" ]; then
    log "storage: psql \\copy reference, same rows"
    psql "$PG_DSN" -v ON_ERROR_STOP=1 -qc \
      "DROP TABLE IF EXISTS ref_trades; CREATE TABLE ref_trades (LIKE trades INCLUDING ALL)" \
      >>"$OUT/psql.log" 2>&1 || log "psql: CREATE TABLE ref_trades failed"
    t0=$(date +%s%N)
    if psql "$PG_DSN" -v ON_ERROR_STOP=1 -qc \
      "\\copy ref_trades($trade_cols) FROM '$csv' WITH (FORMAT csv)" >>"$OUT/psql.log" 2>&1; then
      t1=$(date +%s%N)
      n=$(psql "$PG_DSN" -Atqc "SELECT count(*) FROM ref_trades" 2>>"$OUT/psql.log" || echo 0)
      python3 -c 'import sys; n,t0,t1=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]); s=(t1-t0)/1e9; print("{\"label\":\"pg-copy\",\"rows\":%d,\"seconds\":%.3f,\"rows_per_s\":%.1f}" % (n, s, n/s if s > 0 else 0))' \
        "$n" "$t0" "$t1" >>"$OUT/storage.jsonl"
    else
      log "psql \\copy failed (see $OUT/psql.log)"
    fi
  fi
  rm -f "$csv" # as large as the table: not kept with the results

  log "storage: tickflow Redis cache writer, $N_STORAGE trades"
  timeout -k 5 900 "$SBENCH" --mode redis --label redis-tickflow --redis-port "$REDIS_PORT" \
    --rows "$N_STORAGE" --journal-dir "$OUT/redis-journal" \
    >>"$OUT/storage.jsonl" 2>>"$OUT/storage_bench.err" \
    || log "storage_bench redis failed (exit $?)"
  rm -rf "$OUT/redis-journal"

  log "storage: redis-benchmark SET -P 16, $N_STORAGE requests"
  if timeout -k 5 300 redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -t set -P 16 -n "$N_STORAGE" -q \
    >"$OUT/redis-benchmark.txt" 2>&1; then
    # "SET: 512345.67 requests per second, p50=1.2 msec" (progress lines end in \r)
    rps=$(tr '\r' '\n' <"$OUT/redis-benchmark.txt" | sed -nE 's/^SET: ([0-9.]+) requests per second.*/\1/p' | tail -1)
    [ -n "$rps" ] && printf '{"label":"redis-benchmark-set","requests":%s,"pipeline":16,"requests_per_s":%s}\n' \
      "$N_STORAGE" "$rps" >>"$OUT/storage.jsonl"
  else
    log "redis-benchmark failed"
  fi

  "$root/scripts/services.sh" stop "$svc_env" >>"$OUT/services.log" 2>&1 || log "services.sh stop failed"
  svc_env=""
fi

# ==================================================================================
elapsed=$(( $(date +%s) - started ))
python3 - "$OUT/meta.json" "$elapsed" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import json, sys
p = sys.argv[1]
m = json.load(open(p))
m["elapsed_s"] = int(sys.argv[2])
m["load_end"] = sys.argv[3]
json.dump(m, open(p, "w"))
EOF
log "done in ${elapsed}s"
if [ "$DOC" != - ]; then
  python3 "$root/bench/report.py" "$OUT" "$DOC"
  log "updated $DOC"
else
  python3 "$root/bench/report.py" "$OUT" -
fi
