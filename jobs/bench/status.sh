#!/usr/bin/env bash
# Issue 18 status benchmark: `nightjar status` (Delta Kernel; Spark only when alerts change) against the naive way to
# ask the registry (a fresh local Spark session reading model_versions, NaiveRegistryRead), in turn, on an existing
# warehouse (e.g. the one `./nightjar demo` writes). With BASELINE, another checkout's `status` (e.g. a clone at an
# older commit, which reads through Spark) is timed in turn too, on a copy of the warehouse so that its alert writes
# do not touch yours. Usage:
#   jobs/bench/status.sh WAREHOUSE [RUNS] [BASELINE]    default 3 runs
# Every process uses `metastore: in-memory` (no metastore server); exit 1 of `status` (a person is needed) counts as
# an answer.
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
warehouse="$(cd "${1:?usage: jobs/bench/status.sh WAREHOUSE [RUNS] [BASELINE]}" && pwd)"
runs="${2:-3}"
baseline="${3:-}"
mkdir -p "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../target" # build_benchmarks logs there
build_benchmarks
here="$BENCH_ROOT"
# The launcher's build (classes, classpath.txt, java-opens.txt), so that ./nightjar runs without building.
mvn -B -q ${MAVEN_ARGS:-} -Dstyle.color=never -DskipTests package > target/bench-build.log 2>&1 || { cat target/bench-build.log; exit 1; }
touch target/.launcher-build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
conf() { # conf NAME WAREHOUSE: an environment config for WAREHOUSE
  cat > "$work/$1.yaml" <<YAML
spark: {master: "local[2]", conf: {spark.sql.shuffle.partitions: "2", spark.databricks.delta.snapshotPartitions: "2"}}
warehouse: $2
database: nightjar
artifacts: $2/artifacts
metastore: in-memory
YAML
}
conf now "$warehouse"
if [ -n "$baseline" ]; then
  baseline="$(cd "$baseline" && pwd)"
  cp -r "$warehouse" "$work/baseline-warehouse"
  conf before "$work/baseline-warehouse"
  (cd "$baseline" && ./nightjar --conf-file "$work/before.yaml" status > /dev/null 2>&1 || true) # builds it
fi
seconds() { # runs "$@" with output dropped, prints its wall-clock seconds
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1 || [ $? -eq 1 ] || { echo "status.sh: failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", (e - s) / 1e9}'
}
status_in() { (cd "$1" && ./nightjar --conf-file "$2" status); }
naive() { (benchmark_java 2g io.nightjar.bench.NaiveRegistryRead "$warehouse"); }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
# The first run of a command after a build writes the launcher's class-data archive (target/cds): slower, not timed.
echo "first status (writes the class-data archive if this build has none): $(seconds status_in "$here" "$work/now.yaml") s"
declare -A times
for run in $(seq "$runs"); do
  times[status]+="$(seconds status_in "$here" "$work/now.yaml") "
  [ -z "$baseline" ] || times[baseline_status]+="$(seconds status_in "$baseline" "$work/before.yaml") "
  times[naive]+="$(seconds naive) "
  echo "run $run of $runs done" >&2
done
for key in status ${baseline:+baseline_status} naive; do
  echo "$key runs: ${times[$key]}"
  printf '%s median: %s s\n' "$key" "$(tr ' ' '\n' <<< "${times[$key]}" | grep . | median)"
done
