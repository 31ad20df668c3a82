#!/usr/bin/env bash
# Installs what tickflow needs to build, run and test, from Debian 12's
# archive. Idempotent: packages already present are skipped, and apt is not
# touched at all when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ccache ca-certificates openssl python3
  lld  # links twice as fast as ld.bfd (CMakeLists.txt)
  libcaf-dev libwebsocketpp-dev libasio-dev libboost-dev libssl-dev
  rapidjson-dev libhiredis-dev libpq-dev libspdlog-dev libfmt-dev
  libcurl4-openssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  redis-server redis-tools postgresql-15 postgresql-client-15
  redis-sentinel  # the Sentinel failover test (tests/cluster/sentinel_failover_test.cpp)
  chromium  # headless, for the dashboard test (tests/broadcast/dashboard_test.cpp)
  clang libclang-rt-14-dev  # libFuzzer + sanitizer runtimes for ./test.sh --fuzz (scripts/fuzz.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
