#!/usr/bin/env bash
# Issue 18 registry benchmark: `nightjar models` and `nightjar models NAME --history` (Delta Kernel, no Spark) against
# the naive way to ask the same (a fresh local Spark session reading model_versions / model_events), side by side,
# on a registry of MODELS x VERSIONS written once. With BASELINE, another checkout's launcher (e.g. a clone at an
# older commit) answers the same two commands in turn, on the same registry. Usage:
#   jobs/bench/registry.sh [MODELS] [VERSIONS] [RUNS] [BASELINE]   default 20 models x 30 versions, 3 runs of each
# Before the timed runs, each launcher answers `models` once (timed and printed as "first"): the first run of a command
# after a build writes the launcher's class-data archive (target/cds), so it is slower than the runs after it.
# EXTRA_TABLES=N (environment) adds N one-row Delta tables under the warehouse: the issue's "warehouse with 200 tables".
# Prints each run's wall-clock seconds and the medians; record them in docs/benchmarks.md with the machine.
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
models="${1:-20}" versions="${2:-30}" runs="${3:-3}" baseline="${4:-}"
mkdir -p "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../target" # build_benchmarks logs there
build_benchmarks
# The launcher's build (classes, classpath.txt, java-opens.txt), so that ./nightjar runs without building.
mvn -B -q -Dstyle.color=never -DskipTests package > target/bench-build.log 2>&1 || { cat target/bench-build.log; exit 1; }
touch target/.launcher-build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
warehouse="$work/warehouse"
(benchmark_java 2g io.nightjar.registry.RegistryBenchWarehouse "$warehouse" "$models" "$versions") > /dev/null
# EXTRA_TABLES=N adds N one-row Delta tables under the warehouse (database bench), as a warehouse of many tables.
[ "${EXTRA_TABLES:-0}" -eq 0 ] || (benchmark_java 2g io.nightjar.bench.CatalogStartup create "$warehouse" "$EXTRA_TABLES") > /dev/null
cat > "$work/nightjar.yaml" <<YAML
spark: {master: "local[2]"}
warehouse: $warehouse
database: nightjar
artifacts: $warehouse/artifacts
metastore: in-memory
YAML
export NIGHTJAR_CONF="$work/nightjar.yaml"

seconds() { # runs "$@" with output dropped, prints its wall-clock seconds
  local start end
  start=$(date +%s%N)
  "$@" > /dev/null 2>&1 || { echo "registry.sh: failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", (e - s) / 1e9}'
}
naive() { (benchmark_java 2g io.nightjar.bench.NaiveRegistryRead "$warehouse" "$@"); }
in_checkout() { (cd "$1" && shift && ./nightjar "$@"); }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

model="bench_model_00"
here="$BENCH_ROOT"
[ -z "$baseline" ] || baseline="$(cd "$baseline" && pwd)"
echo "first models (writes the class-data archive if this build has none): $(seconds in_checkout "$here" models) s"
[ -z "$baseline" ] || echo "first baseline_models (builds the baseline if needed): $(seconds in_checkout "$baseline" models) s"
declare -A times
for run in $(seq "$runs"); do
  times[models]+="$(seconds in_checkout "$here" models) "
  [ -z "$baseline" ] || times[baseline_models]+="$(seconds in_checkout "$baseline" models) "
  times[naive_models]+="$(seconds naive) "
  times[history]+="$(seconds in_checkout "$here" models "$model" --history) "
  [ -z "$baseline" ] || times[baseline_history]+="$(seconds in_checkout "$baseline" models "$model" --history) "
  times[naive_history]+="$(seconds naive "$model") "
  echo "run $run of $runs done" >&2
done
for key in models ${baseline:+baseline_models} naive_models history ${baseline:+baseline_history} naive_history; do
  echo "$key runs: ${times[$key]}"
  printf '%s median: %s s\n' "$key" "$(tr ' ' '\n' <<< "${times[$key]}" | grep . | median)"
done
