# Sourced by the benchmark scripts: builds the test classes and their classpath, then runs one benchmark main class
# on local Spark in this process (exec), with the Java 17 opens, Nightjar's log4j config and XGBoost's per-round
# lines dropped from stderr.
#   run_benchmark DEFAULT_HEAP MAIN_CLASS [ARGS...]      ($NIGHTJAR_HEAP overrides the heap)

run_benchmark() {
  local heap="$1" main="$2"
  shift 2
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cd "$root"
  mvn -B -q -Dstyle.color=never -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt > target/bench-build.log 2>&1 \
    || { cat target/bench-build.log; exit 1; }
  export SPARK_LOCAL_IP=127.0.0.1
  # shellcheck disable=SC2046 # a space-separated list of JVM options
  exec java -Xmx"${NIGHTJAR_HEAP:-$heap}" $(cat target/classes/nightjar/java-opens.txt) \
    -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    "$main" "$@" 2> >(grep --line-buffered -vE '^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\] |^$' >&2)
}
