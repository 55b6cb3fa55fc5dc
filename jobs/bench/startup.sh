#!/usr/bin/env bash
# Issue 18 start-up benchmark: what a command's start costs on an in-memory catalog (metastore: in-memory, or
# spark-submit without a Hive metastore) with 5 and with 200 Delta tables under the warehouse: the session's start and
# Warehouse.prepareCatalog(), which registers every table. Usage:
#   jobs/bench/startup.sh [RUNS] [BASELINE]   default 2 runs per warehouse size; BASELINE: another checkout of
#                                             Nightjar (e.g. a clone at an older commit), timed in turn with this one,
#                                             run by run, on the same warehouses
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
runs="${1:-2}"
baseline="${2:-}"
mkdir -p "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../target" # build_benchmarks logs there
if [ -n "$baseline" ]; then
  baseline="$(cd "$baseline" && pwd)"
  (source "$baseline/jobs/bench/bench-java.sh" && build_benchmarks)
fi
build_benchmarks
here="$BENCH_ROOT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for n in 5 200; do
  (benchmark_java 2g io.nightjar.bench.CatalogStartup create "$work/w$n" "$n") | grep created
  for run in $(seq "$runs"); do
    for checkout in "$here" ${baseline:+"$baseline"}; do
      label="this"
      [ "$checkout" = "$here" ] || label="baseline"
      echo "tables=$n run=$run checkout=$label $( (BENCH_ROOT="$checkout" benchmark_java 2g io.nightjar.bench.CatalogStartup time "$work/w$n") | grep session_start)"
    done
  done
done
