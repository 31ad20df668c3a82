#!/usr/bin/env bash
# Private redis-server + PostgreSQL 15 for the storage tests (loopback only).
#
#   services.sh start ENV_FILE            start both, write ENV_FILE
#   services.sh stop ENV_FILE             stop both (by the pids in ENV_FILE),
#                                         remove their directory and ENV_FILE
#   services.sh stop-redis ENV_FILE       outage tests: stop redis only
#   services.sh start-redis ENV_FILE      ... start it again on the same port
#   services.sh restart-redis ENV_FILE    stop-redis + start-redis
#   services.sh stop-postgres ENV_FILE    stop postgres only (fast shutdown)
#   services.sh start-postgres ENV_FILE   ... start it again on the same port
#
# ENV_FILE is shell-sourceable KEY=VALUE lines:
#   SERVICES_DIR  REDIS_HOST REDIS_PORT REDIS_PID  PG_HOST PG_PORT PG_PID
#   PG_DATA PG_DSN (postgresql://postgres@127.0.0.1:PORT/tickflow)
#
# As root, initdb/pg_ctl run as the postgres user (runuser); as a normal user
# they run directly. Nothing touches the system cluster, /etc or /var: all
# state lives in one mktemp directory. A failed start tears down whatever it
# had started (ERR trap). Only processes whose pid is recorded here and whose
# name matches (redis-server / postgres) are ever signalled.
set -Eeuo pipefail

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
redis_server=${REDIS_SERVER:-redis-server}
redis_cli=${REDIS_CLI:-redis-cli}
host=127.0.0.1

usage() {
  echo "usage: $0 start|stop|stop-redis|start-redis|restart-redis|stop-postgres|start-postgres ENV_FILE" >&2
  exit 2
}

log() { echo "services: $*" >&2; }

[ $# -eq 2 ] || usage
cmd=$1
env_file=$2

# Runs a command as the postgres user when we are root. cd /: runuser keeps
# the cwd, and postgres cannot enter /root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null
}

# A loopback port nobody listens on right now, in 20000-25999: below the
# ephemeral range and apart from the ports the tests' free_port() hands out.
free_port() {
  local p i
  for i in $(seq 1 100); do
    p=$((20000 + RANDOM % 6000))
    if ! port_in_use "$p"; then
      echo "$p"
      return 0
    fi
  done
  log "no free port found"
  return 1
}

# True if pid $1 is alive and its command name is $2.
pid_is() {
  local pid=$1 name=$2
  [ -n "$pid" ] && alive "$pid" \
    && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]
}

# True while pid $1 runs (a zombie waiting for init to reap it is gone).
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)
  [ -n "$state" ] && [ "$state" != Z ]
}

# Waits until pid $1 is gone (up to $2 twentieths of a second).
wait_gone() {
  local pid=$1 tries=$2
  while [ "$tries" -gt 0 ] && alive "$pid"; do
    sleep 0.05
    tries=$((tries - 1))
  done
  ! alive "$pid"
}

load_env() {
  if [ ! -f "$env_file" ]; then
    log "no env file $env_file"
    return 1
  fi
  # shellcheck disable=SC1090
  . "$env_file"
}

write_env() {
  local tmp="$env_file.tmp"
  cat >"$tmp" <<EOF
SERVICES_DIR=$SERVICES_DIR
REDIS_HOST=$host
REDIS_PORT=$REDIS_PORT
REDIS_PID=${REDIS_PID:-}
PG_HOST=$host
PG_PORT=$PG_PORT
PG_PID=${PG_PID:-}
PG_DATA=$PG_DATA
PG_DSN=postgresql://postgres@$host:$PG_PORT/tickflow
EOF
  mv "$tmp" "$env_file"
}

# -- redis -------------------------------------------------------------------

redis_start() {
  "$redis_server" --port "$REDIS_PORT" --bind "$host" --save '' \
    --appendonly no --daemonize yes --protected-mode yes \
    --pidfile "$SERVICES_DIR/redis.pid" --logfile "$SERVICES_DIR/redis.log" \
    --dir "$SERVICES_DIR" >/dev/null || return 1
  local i pid=""
  for i in $(seq 1 100); do
    if [ -s "$SERVICES_DIR/redis.pid" ] \
      && "$redis_cli" -h "$host" -p "$REDIS_PORT" ping >/dev/null 2>&1; then
      pid=$(cat "$SERVICES_DIR/redis.pid")
      break
    fi
    sleep 0.05
  done
  [ -n "$pid" ] || { log "redis did not come up on port $REDIS_PORT"; return 1; }
  # --daemonize forks before binding: make sure the server we reach is ours.
  local served
  served=$("$redis_cli" -h "$host" -p "$REDIS_PORT" info server \
    | tr -d '\r' | sed -n 's/^process_id://p')
  if [ "$served" != "$pid" ]; then
    log "port $REDIS_PORT is served by pid $served, not our redis ($pid)"
    return 1
  fi
  REDIS_PID=$pid
}

redis_stop() {
  local pid=${REDIS_PID:-}
  if [ -z "$pid" ] && [ -s "$SERVICES_DIR/redis.pid" ]; then
    pid=$(cat "$SERVICES_DIR/redis.pid")
  fi
  if pid_is "$pid" redis-server; then
    kill "$pid"
    wait_gone "$pid" 200 || { log "redis $pid did not stop"; return 1; }
  fi
  rm -f "$SERVICES_DIR/redis.pid"
  REDIS_PID=
}

# -- postgres ----------------------------------------------------------------

pg_start() {
  as_pg "$pg_bin/pg_ctl" -D "$PG_DATA" -l "$SERVICES_DIR/pg/server.log" -w -t 30 \
    -o "-p $PG_PORT -c listen_addresses=$host -c unix_socket_directories=$SERVICES_DIR/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || return 1
  [ -s "$PG_DATA/postmaster.pid" ] || return 1
  PG_PID=$(head -n 1 "$PG_DATA/postmaster.pid")
}

pg_stop() {
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    local pid
    pid=$(head -n 1 "$PG_DATA/postmaster.pid")
    if pid_is "$pid" postgres; then
      as_pg "$pg_bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null \
        || { kill "$pid" 2>/dev/null || true; wait_gone "$pid" 200 || true; }
    fi
  fi
  PG_PID=
}

# -- commands ----------------------------------------------------------------

stop_all() {
  [ -n "${SERVICES_DIR:-}" ] || return 0
  redis_stop || true
  [ -n "${PG_DATA:-}" ] && pg_stop || true
  case "$SERVICES_DIR" in
    /tmp/tickflow-services.*) rm -rf "$SERVICES_DIR" ;;
    *) log "not removing unexpected directory $SERVICES_DIR" ;;
  esac
}

start() {
  if [ -f "$env_file" ]; then
    log "stopping the stale set in $env_file"
    (load_env && stop_all) || true
    rm -f "$env_file"
  fi
  SERVICES_DIR=$(mktemp -d /tmp/tickflow-services.XXXXXX)
  chmod 755 "$SERVICES_DIR" # mktemp gives 0700: postgres must traverse it
  PG_DATA=$SERVICES_DIR/pg/data
  REDIS_PID=
  PG_PID=
  trap 'log "start failed, tearing down"; stop_all; rm -f "$env_file"' ERR

  mkdir "$SERVICES_DIR/pg"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$SERVICES_DIR/pg"
  fi
  as_pg "$pg_bin/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$SERVICES_DIR/initdb.log" 2>&1

  local attempt
  for attempt in 1 2 3 4 5; do
    REDIS_PORT=$(free_port)
    if redis_start; then break; fi
    redis_stop || true
    [ "$attempt" -lt 5 ] || { log "redis failed to start"; false; }
  done
  for attempt in 1 2 3 4 5; do
    PG_PORT=$(free_port)
    if [ "$PG_PORT" != "$REDIS_PORT" ] && pg_start; then break; fi
    [ "$attempt" -lt 5 ] || { log "postgres failed to start"; false; }
  done
  as_pg "$pg_bin/createdb" -h "$host" -p "$PG_PORT" -U postgres tickflow
  write_env
  trap - ERR
  log "redis on $host:$REDIS_PORT (pid $REDIS_PID), postgres on $host:$PG_PORT (pid $PG_PID), dir $SERVICES_DIR"
}

case "$cmd" in
  start)
    start
    ;;
  stop)
    if load_env; then
      stop_all
      rm -f "$env_file"
    fi
    ;;
  stop-redis)
    load_env
    redis_stop
    write_env
    ;;
  start-redis)
    load_env
    if ! pid_is "${REDIS_PID:-}" redis-server; then
      redis_start
      write_env
    fi
    ;;
  restart-redis)
    load_env
    redis_stop
    redis_start
    write_env
    ;;
  stop-postgres)
    load_env
    pg_stop
    write_env
    ;;
  start-postgres)
    load_env
    if ! pid_is "${PG_PID:-}" postgres; then
      pg_start
      write_env
    fi
    ;;
  *)
    usage
    ;;
esac
