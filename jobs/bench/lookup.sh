#!/usr/bin/env bash
# Issue 6 lookup benchmarks, on local Spark in one JVM. Usage:
#   jobs/bench/lookup.sh http [ENTITIES] [RATE] [SECONDS]   serve: HTTP lookups on loopback, warm cache
#                                                           (default 1000000 entities, 2000 requests/s, 30 s)
#   jobs/bench/lookup.sh jdbc [ROWS] [LOOKUPS]              sql-server: JDBC point lookups on the current view
#                                                           (default 1000000 rows, 50 lookups)
# Results go to stdout; record them in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
case "${1:-}" in
  http) main=io.nightjar.bench.HttpLookupBenchmark ;;
  jdbc) main=io.nightjar.bench.JdbcLookupBenchmark ;;
  *) echo "usage: $0 http|jdbc [ARGS...]" >&2; exit 2 ;;
esac
shift
run_benchmark 8g "$main" "$@"
