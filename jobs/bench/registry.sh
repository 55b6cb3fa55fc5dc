#!/usr/bin/env bash
# Issue 18 registry benchmark: `nightjar models` and `nightjar models NAME --history` (Delta Kernel, no Spark) against
# the naive way to ask the same (a fresh local Spark session reading model_versions / model_events), side by side,
# on a registry of MODELS x VERSIONS written once. Usage:
#   jobs/bench/registry.sh [MODELS] [VERSIONS] [RUNS]     default 20 models x 30 versions, 3 runs of each command
# Prints each run's wall-clock seconds and the medians; record them in docs/benchmarks.md with the machine.
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
models="${1:-20}" versions="${2:-30}" runs="${3:-3}"
mkdir -p "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../target" # build_benchmarks logs there
build_benchmarks
# The launcher's build (classes, classpath.txt, java-opens.txt), so that ./nightjar runs without building.
mvn -B -q -Dstyle.color=never -DskipTests package > target/bench-build.log 2>&1 || { cat target/bench-build.log; exit 1; }
touch target/.launcher-build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
warehouse="$work/warehouse"
(benchmark_java 2g io.nightjar.registry.RegistryBenchWarehouse "$warehouse" "$models" "$versions") > /dev/null
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
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

model="bench_model_00"
declare -A times
for run in $(seq "$runs"); do
  times[models]+="$(seconds ./nightjar models) "
  times[naive_models]+="$(seconds naive) "
  times[history]+="$(seconds ./nightjar models "$model" --history) "
  times[naive_history]+="$(seconds naive "$model") "
  echo "run $run of $runs done" >&2
done
for key in models naive_models history naive_history; do
  echo "$key runs: ${times[$key]}"
  printf '%s median: %s s\n' "$key" "$(tr ' ' '\n' <<< "${times[$key]}" | grep . | median)"
done
