#!/usr/bin/env bash
# Runs a Nightjar command with spark-submit on a cluster (YARN, Kubernetes, standalone) or locally.
#
#   jobs/submit.sh [spark-submit options --] NIGHTJAR-ARGS...
#   jobs/submit.sh --master yarn --deploy-mode client --num-executors 4 -- nightly --model conf/models/x.yaml --date 2026-11-24
#   jobs/submit.sh nightly --model conf/models/x.yaml --date 2026-11-24      # master from SPARK_MASTER, else local[*]
#
# Environment:
#   SPARK_SUBMIT   the spark-submit to run (default: $SPARK_HOME/bin/spark-submit, else spark-submit on PATH)
#   SPARK_MASTER   --master when the options do not give one (default local[*])
#   NIGHTJAR_JAR   the application jar (default: target/nightjar-*-app.jar, built by `mvn -DskipTests package`)
#   NIGHTJAR_CONF  the environment config passed as --conf-file (default: conf/nightjar.yaml)
#   NIGHTJAR_DRIVER_MEMORY  driver heap (default 4g)
#   OPENBLAS_NUM_THREADS, MKL_NUM_THREADS  native BLAS threads (default 1) for the driver and, through spark.executorEnv,
#                  spark.yarn.appMasterEnv and spark.kubernetes.driverEnv, for executors and a driver in cluster mode
# The driver needs Java 17's --add-opens options (Spark adds them to executors itself, not to the driver) and
# Delta's session settings; both are added here. Spark, Hadoop, Scala and Jackson come from the cluster.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

submit_options=()
if [[ " $* " == *" -- "* ]]; then
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    submit_options+=("$1")
    shift
  done
  shift
fi
if [ "$#" -eq 0 ]; then
  echo "usage: jobs/submit.sh [spark-submit options --] NIGHTJAR-COMMAND [ARGS...]" >&2
  exit 2
fi

submit="${SPARK_SUBMIT:-}"
if [ -z "$submit" ]; then
  if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
    submit="$SPARK_HOME/bin/spark-submit"
  else
    submit="$(command -v spark-submit || true)"
  fi
fi
if [ -z "$submit" ]; then
  echo "jobs/submit.sh: no spark-submit found: set SPARK_SUBMIT or SPARK_HOME, or put spark-submit on PATH" >&2
  exit 2
fi

jar="${NIGHTJAR_JAR:-}"
if [ -z "$jar" ]; then
  jar="$(ls "$root"/target/nightjar-*-app.jar 2>/dev/null | head -n 1 || true)"
fi
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "jobs/submit.sh: application jar not found (${jar:-target/nightjar-*-app.jar}): run 'mvn -DskipTests package'" \
    "or set NIGHTJAR_JAR" >&2
  exit 2
fi

opens_file="$root/target/classes/nightjar/java-opens.txt"
if [ -f "$opens_file" ]; then
  opens="$(cat "$opens_file")"
else
  opens="$(unzip -p "$jar" nightjar/java-opens.txt)"
fi

# shellcheck source=jobs/bin/native-blas.sh
source "$root/jobs/bin/native-blas.sh"
# The driver in client mode inherits this environment; executors and a driver in cluster mode (YARN's application
# master, a Kubernetes driver pod) do not: hand them the same values through Spark's settings, unless the options
# given here or spark-defaults.conf already set one (a --conf here would override spark-defaults.conf).
defaults_file="${SPARK_CONF_DIR:-${SPARK_HOME:-/nonexistent}/conf}/spark-defaults.conf"
blas_options=()
for variable in "${NIGHTJAR_BLAS_VARIABLES[@]}"; do
  for prefix in spark.executorEnv spark.yarn.appMasterEnv spark.kubernetes.driverEnv; do
    key="$prefix.$variable"
    given=false
    for option in "${submit_options[@]+"${submit_options[@]}"}"; do
      [[ "$option" == *"$key="* ]] && given=true
    done
    if [ -f "$defaults_file" ] && grep -qE "^[[:space:]]*${key//./\\.}[[:space:]=]" "$defaults_file"; then
      given=true
    fi
    $given || blas_options+=(--conf "$key=${!variable}")
  done
done

has_master=false
for option in "${submit_options[@]+"${submit_options[@]}"}"; do
  [ "$option" = "--master" ] && has_master=true
done
master_options=()
$has_master || master_options=(--master "${SPARK_MASTER:-local[*]}")

exec "$submit" \
  "${master_options[@]}" \
  --name "nightjar $1" \
  --class io.nightjar.cli.NightjarCli \
  --driver-memory "${NIGHTJAR_DRIVER_MEMORY:-4g}" \
  --driver-java-options "$opens" \
  --conf spark.executor.extraJavaOptions="$opens" \
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
  --conf spark.sql.session.timeZone=UTC \
  "${blas_options[@]}" \
  "${submit_options[@]+"${submit_options[@]}"}" \
  "$jar" \
  --conf-file "${NIGHTJAR_CONF:-$root/conf/nightjar.yaml}" \
  "$@"
