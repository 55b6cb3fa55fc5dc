#!/usr/bin/env bash
# Issue 4 tuning benchmark: Nightjar train vs Spark ML CrossValidator over GBTRegressor, same data, grid and folds,
# in one JVM on local Spark. Usage: jobs/bench/tuning.sh [ROWS] [--no-baseline]   (default 100000 rows)
#   jobs/bench/tuning.sh --concurrent-fits [ROWS] [ROUNDS]: the search alone, alternately with 1 and 2 folds fitted
#   at once (ConcurrentFitsBenchmark), to see whether concurrent fits help on this machine.
# Results go to stdout; record them in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt > target/bench-build.log 2>&1 \
  || { cat target/bench-build.log; exit 1; }
export SPARK_LOCAL_IP=127.0.0.1
main=io.nightjar.bench.TuningBenchmark
if [[ "${1:-}" == "--concurrent-fits" ]]; then
  main=io.nightjar.bench.ConcurrentFitsBenchmark
  shift
fi
# shellcheck disable=SC2046 # a space-separated list of JVM options
exec java -Xmx"${NIGHTJAR_HEAP:-12g}" $(cat target/classes/nightjar/java-opens.txt) \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  "$main" "$@" 2> >(grep --line-buffered -vE '^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\] |^$' >&2)
