#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test with ctest.
#   ./test.sh              the whole suite (RelWithDebInfo, warnings as errors)
#   ./test.sh --sanitize   the same under AddressSanitizer + UBSan (build-asan/)
#   ./test.sh --fuzz SECONDS   builds the libFuzzer targets (clang, build-fuzz/)
#                          and runs each for SECONDS (scripts/fuzz.sh)
# Extra arguments after -- go to ctest (e.g. ./test.sh -- -R Decimal).
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
sanitize=0
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) sanitize=1 ;;
    --fuzz)
      "$root/scripts/install-deps.sh"
      exec "$root/scripts/fuzz.sh" "${2:?--fuzz needs SECONDS}" ;;
    --) shift; ctest_args=("$@"); break ;;
    *) echo "test.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

"$root/scripts/install-deps.sh"

if [ $sanitize = 1 ]; then
  export BUILD_DIR=${BUILD_DIR:-$root/build-asan}
  export BUILD_TYPE=Debug
  # The benchmarks are not tests: no need to build them instrumented.
  export CMAKE_EXTRA_ARGS="${CMAKE_EXTRA_ARGS:-} -DTICKFLOW_SANITIZE=ON -DTICKFLOW_BENCH=OFF"
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$root/scripts/ubsan.supp}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/scripts/lsan.supp:print_suppressions=0}
fi
build_dir=${BUILD_DIR:-$root/build}

"$root/scripts/build.sh"
cd "$build_dir"
ctest --output-on-failure --timeout 300 -j"$(nproc)" "${ctest_args[@]}"
