#!/usr/bin/env bash
# Issue 6 lookup benchmarks, on local Spark in one JVM. Usage:
#   jobs/bench/lookup.sh http [ENTITIES] [RATE] [SECONDS]   serve: HTTP lookups on loopback, warm cache
#                                                           (default 1000000 entities, 2000 requests/s, 30 s)
#   jobs/bench/lookup.sh jdbc [ROWS] [LOOKUPS]              sql-server: JDBC point lookups on the current view
#                                                           (default 1000000 rows, 50 lookups)
# Results go to stdout; record them in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
case "${1:-}" in
  http) main=io.nightjar.bench.HttpLookupBenchmark ;;
  jdbc) main=io.nightjar.bench.JdbcLookupBenchmark ;;
  *) echo "usage: $0 http|jdbc [ARGS...]" >&2; exit 2 ;;
esac
shift
mvn -B -q -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt > target/bench-build.log 2>&1 \
  || { cat target/bench-build.log; exit 1; }
export SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2046 # a space-separated list of JVM options
exec java -Xmx"${NIGHTJAR_HEAP:-8g}" $(cat target/classes/nightjar/java-opens.txt) \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  "$main" "$@"
