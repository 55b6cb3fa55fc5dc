#!/usr/bin/env bash
# Issue 4 tuning benchmark: Nightjar train vs Spark ML CrossValidator over GBTRegressor, same data, grid and folds,
# in one JVM on local Spark. Usage: jobs/bench/tuning.sh [ROWS] [--no-baseline] [--no-limit]   (default 100000 rows)
#   Then issue 18's limit: native single-node XGBoost (Java API, rows already in memory) doing the same
#   cross-validation, refit and holdout score; --no-baseline skips CrossValidator, --no-limit the limit.
#   jobs/bench/tuning.sh --concurrent-fits [ROWS] [ROUNDS]: the search alone, alternately with 1 and 2 folds fitted
#   at once (ConcurrentFitsBenchmark), to see whether concurrent fits help on this machine.
#   jobs/bench/tuning.sh --linear-path [ROWS] [ROUNDS]: a logistic search over 8 reg_param values, alternately along
#   the regularisation path (warm starts) and from scratch (LinearPathBenchmark).
#   jobs/bench/tuning.sh --early-stopping [ROWS] [ROUNDS]: a Friedman search with num_trees [50, 200, 500], alternately
#   with early stopping on and off (EarlyStoppingBenchmark).
#   jobs/bench/tuning.sh --bayes-nights [ROWS] [NIGHTS] [TRIALS] [SEEDS] [REFERENCE]: issue 19, simulated nights of
#   grid, random, bayes and bayes with warm start on Friedman #1 against a fixed holdout (BayesNightsBenchmark;
#   the issue's sizes are 100000 7 12 3 200).
# Results go to stdout; record them in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
main=io.nightjar.bench.TuningBenchmark
case "${1:-}" in
  --concurrent-fits) main=io.nightjar.bench.ConcurrentFitsBenchmark; shift ;;
  --linear-path) main=io.nightjar.bench.LinearPathBenchmark; shift ;;
  --early-stopping) main=io.nightjar.bench.EarlyStoppingBenchmark; shift ;;
  --bayes-nights) main=io.nightjar.bench.BayesNightsBenchmark; shift ;;
esac
run_benchmark 12g "$main" "$@"
