#!/usr/bin/env bash
# Issue 6 scoring benchmark, on local Spark in one JVM: `score` of ENTITIES rows with a 100-tree depth-6 XGBoost
# model against the bare pipeline transform plus a plain Delta write of the same rows, alternating REPEAT times.
#   jobs/bench/scoring.sh [ENTITIES] [REPEAT]      (default 10000000 entities, 1 round)
# Results go to stdout; record them in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt > target/bench-build.log 2>&1 \
  || { cat target/bench-build.log; exit 1; }
export SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2046 # a space-separated list of JVM options
exec java -Xmx"${NIGHTJAR_HEAP:-12g}" $(cat target/classes/nightjar/java-opens.txt) \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.nightjar.bench.ScoringBenchmark "$@"
