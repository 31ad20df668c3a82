#!/usr/bin/env bash
# Installs what is missing, builds, and starts tickflow on its embedded
# default configuration (a simulated market; REST on 127.0.0.1:8003,
# WebSocket on 127.0.0.1:8004/api/v1/stream). Arguments go to tickflow,
# e.g. ./run.sh --config configs/default.ini --port 9003
#
#   ./run.sh --full [tickflow args]
#     also starts a private Redis and PostgreSQL on free loopback ports
#     (scripts/services.sh), runs tickflow on configs/full.ini pointed at
#     them (the effective config is written to ./.run/full/full.ini, the
#     writers' journals to ./.run/full/journal/), and stops both servers
#     when tickflow exits.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
full=0
if [ "${1:-}" = "--full" ]; then
  full=1
  shift
fi
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" --target tickflow
binary="${BUILD_DIR:-$root/build}/actors/tickflow"
if [ "$full" -eq 0 ]; then
  exec "$binary" "$@"
fi

run_dir="$root/.run/full"
mkdir -p "$run_dir/journal"
env_file="$run_dir/services.env"
services="$root/scripts/services.sh"
cleanup() { "$services" stop "$env_file" || true; }
trap cleanup EXIT
"$services" start "$env_file"
# shellcheck disable=SC1090
. "$env_file"
config="$run_dir/full.ini"
sed -e "/^\[redis\]/,/^\[/ s/^port = .*/port = $REDIS_PORT/" \
    -e "s|^dsn = .*|dsn = host=127.0.0.1 port=$PG_PORT dbname=tickflow user=postgres|" \
    -e "/^\[redis\]/,/^\[/ s|^journal-dir = .*|journal-dir = $run_dir/journal/redis|" \
    -e "/^\[storage\]/,\$ s|^journal-dir = .*|journal-dir = $run_dir/journal/storage|" \
    "$root/configs/full.ini" >"$config"
echo "run.sh: redis 127.0.0.1:$REDIS_PORT, postgres 127.0.0.1:$PG_PORT, config $config" >&2
# In the background, so a signal to this script reaches tickflow (SIGTERM:
# a clean shutdown that flushes the writers) and the EXIT trap then stops
# the servers.
"$binary" --config "$config" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM
status=0
wait "$pid" || status=$?
while kill -0 "$pid" 2>/dev/null; do
  status=0
  wait "$pid" || status=$?
done
exit "$status"
