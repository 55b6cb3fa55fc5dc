#!/usr/bin/env bash
# Issue 21: every linear loss (LinearLossRuns: 7 fits as train refits its winner, on 90% of ROWS rows of
# Friedman-like data with 20 features) with Spark's Java BLAS and with the native one (the system's libblas.so.3,
# one thread through jobs/bin/native-blas.sh), ROUNDS times each, alternating. Prints each loss's median train time
# per BLAS and the largest relative difference of a holdout metric between the two.
#   jobs/bench/native-blas.sh [ROWS] [ROUNDS]        # default 45000 rows, 3 rounds; logs kept in a temporary directory
set -euo pipefail
rows="${1:-45000}"
rounds="${2:-3}"
# shellcheck source=jobs/bench/bench-java.sh
source "$(dirname "$0")/bench-java.sh"
build_benchmarks
# shellcheck source=jobs/bin/native-blas.sh
source "$BENCH_ROOT/jobs/bin/native-blas.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/nightjar-blas-bench.XXXXXX")"
# netlib's only way to the Java implementation: a native library name that does not load.
java_blas=(-Ddev.ludovic.netlib.blas.nativeLib=none -Ddev.ludovic.netlib.lapack.nativeLib=none)
for round in $(seq 1 "$rounds"); do
  for blas in java native; do
    options=()
    [ "$blas" = java ] && options=("${java_blas[@]}")
    echo "round $round, $blas BLAS" >&2
    # shellcheck disable=SC2046 # a space-separated list of JVM options
    java -Xmx2g $(cat target/classes/nightjar/java-opens.txt) "${options[@]+"${options[@]}"}" \
      -Dlog4j2.configurationFile="$BENCH_ROOT/src/test/resources/log4j2-test.properties" \
      -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
      io.nightjar.cli.LinearLossRuns "$work/$blas-$round" "$rows" > "$work/$blas-$round.log" 2>&1 \
      || { echo "round $round, $blas BLAS failed: see $work/$blas-$round.log" >&2; exit 1; }
  done
done
python3 - "$work" <<'PY'
import glob, re, statistics, sys
work = sys.argv[1]
runs = {}  # (blas, loss) -> [(seconds, metrics)]
for log in sorted(glob.glob(f"{work}/*.log")):
    blas = log.rsplit("/", 1)[1].split("-")[0]
    for line in open(log):
        if line.startswith("BLAS: "):
            print(f"{blas}: {line.strip()}")
        m = re.match(r"loss (\S+) seconds (\S+) rows \d+ holdout \{(.*)\}", line)
        if m:
            metrics = {k: float(v) for k, v in (kv.split("=") for kv in m.group(3).split(", "))}
            runs.setdefault((blas, m.group(1)), []).append((float(m.group(2)), metrics))
print("| loss | holdout metrics (native BLAS, 1 thread) | Java BLAS median s | native BLAS median s | largest relative difference |")
print("|---|---|---|---|---|")
for loss in dict.fromkeys(l for _, l in runs):
    java, native = runs[("java", loss)], runs[("native", loss)]
    largest = max(abs(a[k] - b[k]) / max(abs(b[k]), 1e-300)
                  for _, a in java + native for _, b in native[:1] for k in b)
    shown = ", ".join(f"{k} {v:.6g}" for k, v in native[0][1].items())
    print(f"| {loss} | {shown} | {statistics.median(s for s, _ in java):.1f} | "
          f"{statistics.median(s for s, _ in native):.1f} | {largest:.1e} |")
print(f"({len(runs[('java', 'squared')])} runs per BLAS; logs in {work})")
PY
