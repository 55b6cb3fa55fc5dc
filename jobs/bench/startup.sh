#!/usr/bin/env bash
# Issue 18 start-up benchmark: what a command's start costs on an in-memory catalog (metastore: in-memory, or
# spark-submit without a Hive metastore) with 5 and with 200 Delta tables under the warehouse: the session's start and
# Warehouse.prepareCatalog(), which registers every table and reads its log. Usage:
#   jobs/bench/startup.sh [RUNS]       default 2 runs per warehouse size
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
runs="${1:-2}"
mkdir -p "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../target" # build_benchmarks logs there
build_benchmarks
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for n in 5 200; do
  (benchmark_java 2g io.nightjar.bench.CatalogStartup create "$work/w$n" "$n") | grep created
  for run in $(seq "$runs"); do
    echo "tables=$n run=$run $( (benchmark_java 2g io.nightjar.bench.CatalogStartup time "$work/w$n") | grep session_start)"
  done
done
