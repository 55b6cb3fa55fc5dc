#!/usr/bin/env bash
# Issue 4 tuning benchmark: Nightjar train vs Spark ML CrossValidator over GBTRegressor, same data, grid and folds,
# in one JVM on local Spark. Usage: jobs/bench/tuning.sh [ROWS] [--no-baseline]   (default 100000 rows)
#   jobs/bench/tuning.sh --concurrent-fits [ROWS] [ROUNDS]: the search alone, alternately with 1 and 2 folds fitted
#   at once (ConcurrentFitsBenchmark), to see whether concurrent fits help on this machine.
# Results go to stdout; record them in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
main=io.nightjar.bench.TuningBenchmark
if [[ "${1:-}" == "--concurrent-fits" ]]; then
  main=io.nightjar.bench.ConcurrentFitsBenchmark
  shift
fi
run_benchmark 12g "$main" "$@"
