#!/usr/bin/env bash
# Issue 6 scoring benchmark, on local Spark in one JVM: `score` of ENTITIES rows with a 100-tree depth-6 XGBoost
# model against the bare pipeline transform plus a plain Delta write of the same rows, alternating REPEAT times.
#   jobs/bench/scoring.sh [ENTITIES] [REPEAT] [--shuffled]   (default 10000000 entities, 1 round, entities stored
#                                                             in id order; --shuffled: in random order)
# Results go to stdout; record them in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/bench-java.sh"
run_benchmark 12g io.nightjar.bench.ScoringBenchmark "$@"
