#!/usr/bin/env bash
# Issue 6 lookup benchmarks, on local Spark. Usage:
#   jobs/bench/lookup.sh http [ENTITIES] [RATE] [SECONDS]   serve: HTTP lookups on loopback, warm cache, driven by
#                                                           wrk (Debian's package, installed on first use) at a
#                                                           steady RATE (default 1000000 entities, 2000/s, 30 s)
#   jobs/bench/lookup.sh online [ENTITIES] [RATE] [SECONDS] serve: GET of random ids that all score on demand
#                                                           (100-tree depth-6 XGBoost, features in memory, answer
#                                                           cache off), after the naive one-row Spark transform
#                                                           (default 1000000 entities, 1000/s, 30 s)
#   jobs/bench/lookup.sh batch [ENTITIES] [RATE] [SECONDS]  the same server: POST .../predict with 100-row bodies
#                                                           (default 1000000 entities, 50/s, 30 s)
#   jobs/bench/lookup.sh jdbc [ROWS] [LOOKUPS]              sql-server: JDBC point lookups on the current view
#                                                           (default 1000000 rows, 50 lookups)
#   jobs/bench/lookup.sh features [ENTITIES]                serve: heap of one model's serving features in memory
#                                                           (default 1000000 entities x 21 features)
# Results go to stdout; record them in docs/benchmarks.md with the machine they ran on. $NIGHTJAR_HEAP sets the
# server's heap (default 8g); $MAVEN_ARGS reaches the build (e.g. -o to build offline).
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"

# serve_and_load MAIN ENTITIES RATE SECONDS [BATCH_ROWS FEATURES]: starts the benchmark server MAIN (which writes its
# predictions base URL to the file given as its second argument), then drives it with wrk from this process
# (jobs/bench/paced-load.lua: a steady RATE of requests, latency from each send).
serve_and_load() {
  local main="$1" entities="$2" rate="$3" seconds="$4"
  shift 4
  build_benchmarks
  work="$(mktemp -d)"
  trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
  benchmark_java "${NIGHTJAR_HEAP:-8g}" "$main" "$entities" "$work/base" &
  server=$!
  until [ -s "$work/base" ]; do
    kill -0 "$server" 2>/dev/null || { echo "lookup.sh: the server exited before serving" >&2; exit 1; }
    sleep 1
  done
  if ! command -v wrk > /dev/null; then
    local sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get install -y -qq wrk > /dev/null
  fi
  local url base
  base="$(cat "$work/base")"
  url="$base"
  # POST bodies go to .../predict, next to .../predictions/.
  [ $# -gt 0 ] && url="${base%/predictions/}/predict"
  echo "load: $url, $rate/s for $seconds s after a 5 s warm-up; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # One wrk thread (one core's worth at most) and 16 connections; paced-load.lua spaces the requests' starts evenly.
  load() {
    local duration="$1"
    shift
    wrk -t1 -c16 -d"$duration"s --timeout 10s -s "$BENCH_ROOT/jobs/bench/paced-load.lua" "$url" \
      -- "$entities" "$rate" "$@"
  }
  load 5 "$@" | sed -n '$s/^/warm-up: /p'
  status=0
  load "$seconds" "$@" > "$work/measured" || status=$?
  sed -n '$s/^/measured: /p' "$work/measured"
  grep -q "non-2xx 0, errors 0, timeouts 0" "$work/measured" || status=1
  echo "after: load average $(cut -d' ' -f1-3 /proc/loadavg); server RSS $(ps -o rss= -p "$server" \
    | awk '{printf "%.0f MiB", $1 / 1024}')"
  # What answered: online scoring (the answer cache is off in online/batch) or precomputed rows.
  curl -s "${base%%/v1/*}/metrics" | grep -E '^nightjar_requests_total|^cache_gets_total' || true
  exit "$status"
}

mode="${1:-}"
shift || true
case "$mode" in
  jdbc) run_benchmark 8g io.nightjar.bench.JdbcLookupBenchmark "$@" ;;
  features) run_benchmark 4g io.nightjar.bench.FeatureMemoryBenchmark "$@" ;;
  http) serve_and_load io.nightjar.bench.HttpLookupBenchmark "${1:-1000000}" "${2:-2000}" "${3:-30}" ;;
  online) serve_and_load io.nightjar.bench.OnlineScoringBenchmark "${1:-1000000}" "${2:-1000}" "${3:-30}" ;;
  batch)
    serve_and_load io.nightjar.bench.OnlineScoringBenchmark "${1:-1000000}" "${2:-50}" "${3:-30}" 100 \
      "$(printf 'x%d,' $(seq 1 20) | sed 's/,$//')"
    ;;
  *) echo "usage: $0 http|online|batch|jdbc|features [ARGS...]" >&2; exit 2 ;;
esac
