#!/usr/bin/env bash
# Issue 6 lookup benchmarks, on local Spark. Usage:
#   jobs/bench/lookup.sh http [ENTITIES] [RATE] [SECONDS]   serve: HTTP lookups on loopback, warm cache, driven by
#                                                           autocannon (npm, installed into target/bench-node on
#                                                           first use; default 1000000 entities, 2000/s, 30 s)
#   jobs/bench/lookup.sh jdbc [ROWS] [LOOKUPS]              sql-server: JDBC point lookups on the current view
#                                                           (default 1000000 rows, 50 lookups)
#   jobs/bench/lookup.sh features [ENTITIES]                serve: heap of one model's serving features in memory
#                                                           (default 1000000 entities x 21 features)
# Results go to stdout; record them in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
mode="${1:-}"
shift || true
case "$mode" in
  jdbc) run_benchmark 8g io.nightjar.bench.JdbcLookupBenchmark "$@" ;;
  features) run_benchmark 4g io.nightjar.bench.FeatureMemoryBenchmark "$@" ;;
  http)
    entities="${1:-1000000}" rate="${2:-2000}" seconds="${3:-30}"
    build_benchmarks
    work="$(mktemp -d)"
    trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
    benchmark_java "${NIGHTJAR_HEAP:-8g}" io.nightjar.bench.HttpLookupBenchmark "$entities" "$work/base" &
    server=$!
    until [ -s "$work/base" ]; do
      kill -0 "$server" 2>/dev/null || { echo "lookup.sh: the server exited before serving" >&2; exit 1; }
      sleep 1
    done
    node_dir="$BENCH_ROOT/target/bench-node"
    if [ ! -d "$node_dir/node_modules/autocannon" ]; then
      mkdir -p "$node_dir"
      npm install --prefix "$node_dir" --no-audit --no-fund --silent autocannon@7.15.0 >&2
    fi
    NODE_PATH="$node_dir/node_modules" node "$BENCH_ROOT/jobs/bench/http-load.js" "$(cat "$work/base")" "$entities" \
      "$rate" "$seconds"
    ;;
  *) echo "usage: $0 http|jdbc|features [ARGS...]" >&2; exit 2 ;;
esac
