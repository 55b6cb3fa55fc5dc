#!/usr/bin/env bash
# Runs the nightly pipeline of the two demo models on a real Spark standalone cluster (a master and two workers on
# 127.0.0.1, started from the Maven jars) and checks that its tables equal those of the same runs in local mode,
# including after a nightly run killed in the middle (SIGKILL of the driver) and retried.
#
#   jobs/cluster/test.sh            # builds the app jar first if needed; about 40 minutes on 2 cores
# Exit 0 when the tables match; 1 with a diff otherwise. Work files go to a temporary directory (kept on failure).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$root"
# shellcheck source=jobs/cluster/cluster.sh
source "$root/jobs/cluster/cluster.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/nightjar-cluster.XXXXXX")"
ok=false
finish() {
  cluster_stop
  if $ok; then rm -rf "$work"; else echo "cluster test: work files kept in $work" >&2; fi
}
trap finish EXIT

if ! ls target/nightjar-*-app.jar > /dev/null 2>&1 || [ ! -f target/classpath.txt ]; then
  echo "cluster test: building the application jar"
  mvn -B -q -DskipTests package
fi

day1=2026-01-01
day2=2026-01-02
models=(demo_regression demo_classification)

# spark-submit without a Hive metastore uses an in-memory catalog, so the cluster side's local commands must too (one
# kind of catalog per warehouse); the local side does the same, so that the two compare like with like and no metastore
# server is left running.
for side in local cluster; do
  cat > "$work/$side.yaml" <<YAML
spark:
  master: "local[2]"
  conf: {spark.sql.shuffle.partitions: "4"}
warehouse: $work/$side/warehouse
database: nightjar
artifacts: $work/$side/artifacts
models: $root/conf/models
metastore: in-memory
YAML
  ./nightjar --conf-file "$work/$side.yaml" demo --rows 2000 --days 2 --last-day "$day2" --data-only
done

echo "cluster test: reference runs in local mode"
for day in "$day1" "$day2"; do
  for model in "${models[@]}"; do
    ./nightjar --conf-file "$work/local.yaml" nightly --model "$model" --date "$day" > /dev/null 2>> "$work/local.log"
  done
done

cluster_start "$work/spark" 2 1 3g
export NIGHTJAR_CONF="$work/cluster.yaml" NIGHTJAR_DRIVER_MEMORY=2g
echo "cluster test: the same runs with spark-submit on $CLUSTER_MASTER"
for model in "${models[@]}"; do
  cluster_submit nightly --model "conf/models/$model.yaml" --date "$day1" >> "$work/cluster.out" 2>> "$work/cluster.log"
done

# Kill the first day-2 run once its tuning has finished a trial, then retry it as a scheduler would.
log="$work/killed.log"
cluster_submit nightly --model conf/models/demo_regression.yaml --date "$day2" > /dev/null 2> "$log" &
driver=$!
waited=0
until grep -q "\[train demo_regression\] 1/" "$log" 2>/dev/null; do
  sleep 1
  waited=$((waited + 1))
  if [ "$waited" -ge 300 ] || ! kill -0 "$driver" 2>/dev/null; then
    echo "cluster test: the run to kill never reached its first trial:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
done
# $driver is the background subshell; the driver JVM is its child (submit.sh execs into it): kill both.
pkill -9 -P "$driver" 2>/dev/null || true
kill -9 "$driver" 2>/dev/null || true
wait "$driver" 2>/dev/null || true
echo "cluster test: killed the day-2 run of demo_regression after its first trial; retrying"
for model in "${models[@]}"; do
  cluster_submit nightly --model "conf/models/$model.yaml" --date "$day2" >> "$work/cluster.out" 2>> "$work/cluster.log"
done
cluster_stop

snapshot() {  # SIDE -> the tables as sorted CSV, floats rounded so that summation order does not matter
  local conf="$work/$1.yaml"
  {
    ./nightjar --conf-file "$conf" sql --format csv "SELECT model_name, version, logical_date, family, loss,
      training_data_version, training_rows, holdout_rows, round(cv_mean, 4) AS cv_mean,
      round(holdout_metrics[cv_metric], 4) AS holdout FROM nightjar.model_versions ORDER BY model_name, version"
    ./nightjar --conf-file "$conf" sql --format csv "SELECT model_name, version, event, previous_version
      FROM nightjar.model_events ORDER BY model_name, seq, at"
    ./nightjar --conf-file "$conf" sql --format csv "SELECT model_name, alias, version FROM nightjar.model_aliases
      ORDER BY model_name, alias"
    for model in "${models[@]}"; do
      ./nightjar --conf-file "$conf" sql --format csv "SELECT model_name, model_version, score_date, count(*) AS n,
        round(sum(prediction), 2) AS predictions FROM nightjar.predictions_$model
        GROUP BY model_name, model_version, score_date ORDER BY score_date"
    done
    ./nightjar --conf-file "$conf" sql --format csv "SELECT model_name, version, logical_date, metric,
      round(value, 4) AS value, rows FROM nightjar.model_metrics ORDER BY model_name, logical_date, metric"
    ./nightjar --conf-file "$conf" sql --format csv "SELECT model_name, logical_date, count(*) AS features,
      round(sum(psi), 3) AS psi FROM nightjar.feature_drift GROUP BY model_name, logical_date
      ORDER BY model_name, logical_date"
  } 2> "$work/$1-snapshot.log"
}

snapshot local > "$work/local.csv"
snapshot cluster > "$work/cluster.csv"
nightly_runs="$(./nightjar --conf-file "$work/cluster.yaml" sql --format csv \
  "SELECT count(*) FROM nightjar.runs WHERE job = 'nightly' AND status = 'succeeded'" 2>/dev/null | tail -1)"
if ! diff -u "$work/local.csv" "$work/cluster.csv"; then
  echo "cluster test: FAILED: the cluster's tables differ from local mode's (above: - local, + cluster)" >&2
  exit 1
fi
if [ "$nightly_runs" != "4" ]; then
  echo "cluster test: FAILED: expected 4 succeeded nightly runs on the cluster (the killed one must not count)," \
    "found $nightly_runs" >&2
  exit 1
fi
grep -q "app-" "$work/spark/logs/master.log" || { echo "cluster test: FAILED: no application ran on the master" >&2; exit 1; }
echo "cluster test: passed: $(grep -c '' "$work/local.csv") lines of tables equal in local mode and on the cluster"
ok=true
