#!/usr/bin/env bash
# Installs what is missing, builds, and starts tickflow on its embedded
# default configuration (a simulated market; REST on 127.0.0.1:8003,
# WebSocket on 127.0.0.1:8004/api/v1/stream). Arguments go to tickflow,
# e.g. ./run.sh --config configs/default.ini --port 9003
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" --target tickflow
exec "${BUILD_DIR:-$root/build}/actors/tickflow" "$@"
