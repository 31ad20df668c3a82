#!/usr/bin/env bash
# Configures and builds tickflow into build/ (or $BUILD_DIR), warnings as errors.
# Extra arguments are passed to cmake --build (e.g. --target tickflow).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
build_type=${BUILD_TYPE:-RelWithDebInfo}
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" \
  -DTICKFLOW_WERROR=ON ${CMAKE_EXTRA_ARGS:-} >/dev/null
cmake --build "$build_dir" -j"$(nproc)" "$@"
