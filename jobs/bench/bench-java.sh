# Sourced by the benchmark scripts: builds the test classes and their classpath, then runs one benchmark main class
# on local Spark with the Java 17 opens, Nightjar's log4j config and XGBoost's per-round lines dropped from stderr.
#   run_benchmark DEFAULT_HEAP MAIN_CLASS [ARGS...]      build, then run in this process (exec)
#   build_benchmarks; (benchmark_java HEAP MAIN [ARGS...])   the same in two steps; benchmark_java execs, so run it
#                                                           in a subshell (or with &, whose pid is then the JVM's)
# $NIGHTJAR_HEAP overrides the heap of run_benchmark; $MAVEN_ARGS is passed to the build (e.g. MAVEN_ARGS=-o builds
# offline from ~/.m2; Maven before 3.9 does not read it by itself).

build_benchmarks() {
  BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cd "$BENCH_ROOT"
  mkdir -p target # a fresh clone has none yet: the build log goes there
  # shellcheck disable=SC2086 # MAVEN_ARGS is a space-separated list of options
  mvn -B -q ${MAVEN_ARGS:-} -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt > target/bench-build.log 2>&1 \
    || { cat target/bench-build.log; exit 1; }
  export SPARK_LOCAL_IP=127.0.0.1
}

benchmark_java() {
  local heap="$1" main="$2"
  shift 2
  # shellcheck disable=SC2046 # a space-separated list of JVM options
  exec java -Xmx"$heap" $(cat "$BENCH_ROOT/target/classes/nightjar/java-opens.txt") \
    -Dlog4j2.configurationFile="$BENCH_ROOT/conf/log4j2.properties" \
    -cp "$BENCH_ROOT/target/test-classes:$BENCH_ROOT/target/classes:$(cat "$BENCH_ROOT/target/test-classpath.txt")" \
    "$main" "$@" 2> >(grep --line-buffered -vE '^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\] |^$' >&2)
}

run_benchmark() {
  local heap="$1" main="$2"
  shift 2
  build_benchmarks
  # shellcheck disable=SC2046 # a space-separated list of JVM options
  exec java -Xmx"${NIGHTJAR_HEAP:-$heap}" $(cat target/classes/nightjar/java-opens.txt) \
    -Dlog4j2.configurationFile="$BENCH_ROOT/conf/log4j2.properties" \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    "$main" "$@" 2> >(grep --line-buffered -vE '^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\] |^$' >&2)
}
