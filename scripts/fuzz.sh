#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan) and runs each for
# SECONDS, at most $FUZZ_JOBS (2) at a time. Crash inputs are copied into
# fuzz/crashes/<target>/ and the script fails when any target crashed.
#   scripts/fuzz.sh 30                    every target for 30 s
#   scripts/fuzz.sh 60 decimal config     only those targets
#   scripts/fuzz.sh --build-only          configure and build only
#   scripts/fuzz.sh --list                the target names
# Build dir: $FUZZ_BUILD_DIR (default build-fuzz/). Corpora grow in
# <build dir>/fuzz-work/<target>/corpus (kept between runs, never in git);
# seeds (fuzz/seeds/, generated from tests/fixtures/ and configs) and
# fuzz/regressions/ are read every run. See docs/FUZZING.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${FUZZ_BUILD_DIR:-$root/build-fuzz}
work=$build_dir/fuzz-work
jobs=${FUZZ_JOBS:-2}

# Every provider with REST fixtures (tests/fixtures/<provider>/rest/), as
# fuzz/CMakeLists.txt.
rest_providers=()
for d in "$root"/tests/fixtures/*/rest/; do
  d=${d%/rest/}
  rest_providers+=("${d##*/}")
done
all_targets=()
for p in "${rest_providers[@]}"; do all_targets+=("rest_$p"); done
all_targets+=(stream book cluster_events decimal market_holidays reference_lists config http_target http_request ws_message)

seconds=""
build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-only) build_only=1 ;;
    --list) printf '%s\n' "${all_targets[@]}"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *)
      if [ -z "$seconds" ] && [[ "$1" =~ ^[0-9]+$ ]]; then
        seconds=$1
      else
        targets+=("$1")
      fi ;;
  esac
  shift
done
seconds=${seconds:-30}
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  # shellcheck disable=SC2076  # a literal word match, not a regex
  if [[ ! " ${all_targets[*]} " =~ " $t " ]]; then
    echo "fuzz.sh: unknown target $t (see --list)" >&2
    exit 2
  fi
done

# -- build ---------------------------------------------------------------------

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ not found (scripts/install-deps.sh installs clang)" >&2
  exit 1
fi
start=$(date +%s)
# Project libraries get coverage instrumentation (fuzzer-no-link) and the
# sanitizers; the fuzz targets link libFuzzer's main (fuzz/CMakeLists.txt).
# -O1: fast enough to fuzz, still debuggable; Debug keeps asserts on.
fuzz_flags="-O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined"
CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug \
  -DTICKFLOW_FUZZ=ON -DTICKFLOW_WERROR=ON -DTICKFLOW_BENCH=OFF -DCMAKE_CXX_FLAGS="$fuzz_flags" \
  ${CMAKE_EXTRA_ARGS:-} >/dev/null
build_targets=()
for t in "${targets[@]}"; do build_targets+=(--target "${t}_fuzz"); done
cmake --build "$build_dir" -j"$jobs" "${build_targets[@]}"
echo "fuzz.sh: built ${#targets[@]} targets in $(( $(date +%s) - start )) s"
[ $build_only = 0 ] || exit 0

# -- seeds ---------------------------------------------------------------------

# Writes the bytes given as numbers, then the file $3 (if any), to $1.
# Usage: seed_with_header OUT "b0 b1 ..." [FILE]
seed_with_header() {
  local out=$1 fmt="" b
  for b in $2; do fmt+=$(printf '\\x%02x' "$b"); done
  # shellcheck disable=SC2059  # the format is the \xNN escapes built above
  { printf "$fmt"; [ -z "${3:-}" ] || cat "$3"; } >"$out"
}

# rest_<provider>: every fixture body of the provider, with header bytes
# (fuzz/rest_adapter_fuzz.cpp) for each fetch kind and instrument, a time
# range, aggregated trades and every error status.
make_rest_seeds() {
  local p=$1 dir=$2 f k i s n=0
  for f in "$root/tests/fixtures/$p"/rest/*; do
    [ -f "$f" ] || continue
    # Order-book snapshots are no fetch kind of the REST adapter: the book
    # target takes them (make_book_seeds); here they would only slow it.
    case $(basename "$f") in *_depth*) continue ;; esac
    for k in 0 1 2 3 4 5 6 7; do
      for i in 0 1 2 3; do
        seed_with_header "$dir/$(basename "$f").k$k.i$i" "$k $((12 | (i << 4)))" "$f"
      done
    done
    seed_with_header "$dir/$(basename "$f").range" "1 $((12 | 0x40))" "$f"
    seed_with_header "$dir/$(basename "$f").agg" "3 $((0x80 | 0x40))" "$f"
    seed_with_header "$dir/$(basename "$f").batch" "8 12" "$f"
    for s in 8 9 10 11 12 13 14; do
      seed_with_header "$dir/$(basename "$f").s$s" "$((s << 4)) 12" "$f"
    done
    n=$((n + 1))
  done
  [ $n -gt 0 ] || { echo "fuzz.sh: no fixtures in tests/fixtures/$p/rest" >&2; exit 1; }
}

# stream: every frame of the ws fixtures (one per line in .ndjson files),
# prefixed with the dialect byte (0 binance, 1/2 polygon stocks/crypto,
# 3 finnhub).
make_stream_seeds() {
  local dir=$1 p f b line n
  for p in binance polygon finnhub; do
    case $p in binance) b="0" ;; polygon) b="1 2" ;; finnhub) b="3" ;; esac
    for f in "$root/tests/fixtures/$p"/ws/*; do
      [ -f "$f" ] || continue
      for d in $b; do
        # shellcheck disable=SC2094  # reads $f, writes other files
        if [[ "$f" == *.ndjson ]]; then
          n=0
          while IFS= read -r line && [ $n -lt 20 ]; do
            n=$((n + 1))
            printf '%s' "$line" >"$work/line.tmp"
            seed_with_header "$dir/$(basename "$f").$n.d$d" "$d" "$work/line.tmp"
          done <"$f"
        else
          seed_with_header "$dir/$(basename "$f").d$d" "$d" "$f"
        fi
      done
    done
  done
  rm -f "$work/line.tmp"
}

# book: the depth and book fixtures behind their mode byte (fuzz/book_fuzz.cpp):
# each snapshot and docs diff alone, the first 20 frames of each recording
# alone, and each recording as a sequence (snapshot line, then 20 frames).
make_book_seeds() {
  local dir=$1 fx=$root/tests/fixtures b f line n
  for f in "$fx"/binance/rest/api_v3_depth*.json "$fx"/binance/rest/fapi_v1_depth*.json \
      "$fx"/binance/ws/raw_depthUpdate.docs.json "$fx"/binance/ws/fapi_raw_depthUpdate.docs.json \
      "$fx"/binance/ws/combined_depthUpdate_*.ndjson "$fx"/kraken/ws/v1_book-*.ndjson; do
    [ -f "$f" ] || { echo "fuzz.sh: missing book fixture $f" >&2; exit 1; }
    case $(basename "$f") in
      api_v3_depth*) b=0 ;; fapi_v1_depth*) b=2 ;; raw_depthUpdate*) b=1 ;;
      fapi_raw_depthUpdate*) b=3 ;; *BADGERBTC*) b=1 ;; *KEEPUSDT*) b=3 ;; v1_book*) b=4 ;;
    esac
    if [[ "$f" == *.ndjson ]]; then
      n=0
      # shellcheck disable=SC2094  # reads $f, writes other files
      while IFS= read -r line && [ $n -lt 20 ]; do
        n=$((n + 1))
        printf '%s' "$line" >"$work/line.tmp"
        seed_with_header "$dir/$(basename "$f").$n" "$b" "$work/line.tmp"
      done <"$f"
    else
      seed_with_header "$dir/$(basename "$f")" "$b" "$f"
    fi
  done
  # Sequences: mode 5 spot, 6 futures, 7 Kraken.
  { cat "$fx"/binance/rest/api_v3_depth_BADGERBTC_*.json; echo
    head -n 20 "$fx"/binance/ws/combined_depthUpdate_BADGERBTC_*.ndjson; } >"$work/seq.tmp"
  seed_with_header "$dir/seq_spot_BADGERBTC" "5" "$work/seq.tmp"
  { cat "$fx"/binance/rest/fapi_v1_depth_KEEPUSDT_*.json; echo
    head -n 20 "$fx"/binance/ws/combined_depthUpdate_KEEPUSDT_*.ndjson; } >"$work/seq.tmp"
  seed_with_header "$dir/seq_futures_KEEPUSDT" "6" "$work/seq.tmp"
  head -n 21 "$fx"/kraken/ws/v1_book-*.ndjson >"$work/seq.tmp"
  seed_with_header "$dir/seq_kraken" "7" "$work/seq.tmp"
  rm -f "$work/line.tmp" "$work/seq.tmp"
}

make_config_seeds() {
  local dir=$1 f
  for f in "$root"/configs/*.ini; do cp "$f" "$dir/configs_$(basename "$f")"; done
  find "$root/tests/configs" -name '*.ini' -type f | while read -r f; do
    cp "$f" "$dir/tests_$(basename "$f")"
  done
}

make_seeds() {
  local t=$1 dir=$work/$1/seeds
  rm -rf "$dir"
  mkdir -p "$dir"
  case $t in
    rest_*) make_rest_seeds "${t#rest_}" "$dir" ;;
    stream) make_stream_seeds "$dir" ;;
    book) make_book_seeds "$dir" ;;
    config) make_config_seeds "$dir" ;;
  esac
  if [ -d "$root/fuzz/seeds/$t" ]; then
    cp "$root/fuzz/seeds/$t"/* "$dir"/ 2>/dev/null || true
  fi
}

# -- run -----------------------------------------------------------------------

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$root/fuzz/ubsan.supp}

dict_of() {
  case $1 in
    rest_*|stream|book|ws_message|reference_lists|cluster_events) echo "-dict=$root/fuzz/dicts/json.dict" ;;
    http_target|http_request) echo "-dict=$root/fuzz/dicts/http.dict" ;;
    config) echo "-dict=$root/fuzz/dicts/ini.dict" ;;
  esac
}

# Largest input libFuzzer makes (larger corpus files are read truncated):
# room for the biggest fixture, small enough to stay fast.
max_len_of() {
  case $1 in
    rest_*|config|book) echo 65536 ;;
    stream|http_request|ws_message|cluster_events) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

run_target() {
  local t=$1 dir=$work/$1 rc=0
  mkdir -p "$dir/corpus" "$dir/artifacts"
  rm -f "$dir/artifacts"/*
  local regress=()
  [ -d "$root/fuzz/regressions/$t" ] && regress=("$root/fuzz/regressions/$t")
  # shellcheck disable=SC2046
  "$build_dir/fuzz/${t}_fuzz" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -timeout=10 -max_len="$(max_len_of "$t")" -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    $(dict_of "$t") "$dir/corpus" "$dir/seeds" "${regress[@]}" \
    >"$dir/log" 2>&1 || rc=$?
  echo $rc >"$dir/rc"
}

for t in "${targets[@]}"; do make_seeds "$t"; done

run_start=$(date +%s)
running=0
for t in "${targets[@]}"; do
  if [ $running -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  echo "fuzz.sh: $t for ${seconds} s"
  run_target "$t" &
  running=$((running + 1))
done
wait || true

# -- report --------------------------------------------------------------------

failed=()
printf '\n%-24s %10s %8s %8s %s\n' target exec/s cov corpus result
for t in "${targets[@]}"; do
  dir=$work/$t
  rc=$(cat "$dir/rc" 2>/dev/null || echo 1)
  execs=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*$' || true)
  cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*' || true)
  corpus=$(find "$dir/corpus" -type f | wc -l)
  result=ok
  if [ "$rc" != 0 ] || [ -n "$(ls -A "$dir/artifacts")" ]; then
    result="CRASH (exit $rc, log $dir/log)"
    failed+=("$t")
    if [ -n "$(ls -A "$dir/artifacts")" ]; then
      mkdir -p "$root/fuzz/crashes/$t"
      cp "$dir/artifacts"/* "$root/fuzz/crashes/$t/"
      result+=" -> fuzz/crashes/$t/"
    fi
    grep -m3 -E 'ERROR: |runtime error|fuzz invariant failed|==[0-9]+==' "$dir/log" | sed 's/^/    /' || true
  fi
  printf '%-24s %10s %8s %8s %s\n' "$t" "${execs:-?}" "${cov:-?}" "$corpus" "$result"
done
echo "fuzz.sh: ran ${#targets[@]} targets x ${seconds} s in $(( $(date +%s) - run_start )) s" \
  "(total with build $(( $(date +%s) - start )) s)"
echo "fuzz: $(( ${#targets[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: ${failed[*]} crashed (inputs in fuzz/crashes/)" >&2
  exit 1
fi
