#!/usr/bin/env bash
# A Spark standalone cluster on this machine from the Maven jars alone (no Spark distribution): one master and
# workers bound to 127.0.0.1. Source this file, then:
#   cluster_start DIR [WORKERS] [CORES_PER_WORKER] [MEMORY_PER_WORKER]   # sets CLUSTER_MASTER (spark://...)
#   cluster_submit ARGS...         # SparkSubmit client mode against CLUSTER_MASTER, through jobs/submit.sh
#   cluster_stop                   # stops workers and master
# Needs `mvn -DskipTests package` first (target/classpath.txt, target/classes/nightjar/java-opens.txt, the app jar).

cluster_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"

cluster_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

cluster_wait_for_log() {  # FILE PATTERN SECONDS
  local waited=0
  until grep -q "$2" "$1" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if [ "$waited" -ge "$3" ]; then
      echo "cluster: '$2' did not appear in $1 within $3 s:" >&2
      tail -20 "$1" >&2
      return 1
    fi
  done
}

cluster_start() {
  local dir="$1" workers="${2:-2}" cores="${3:-1}" memory="${4:-3g}"
  CLUSTER_DIR="$dir"
  mkdir -p "$dir/spark-home/jars" "$dir/logs" "$dir/work"
  # Workers start executors with SPARK_HOME/jars/* on the classpath: link the project's compile classpath there.
  # (the file has no final newline: "|| [ -n ... ]" keeps its last entry)
  tr ":" "\n" < "$cluster_root/target/classpath.txt" | while read -r jar || [ -n "$jar" ]; do
    ln -sf "$jar" "$dir/spark-home/jars/$(basename "$jar")"
  done
  CLUSTER_OPENS="$(cat "$cluster_root/target/classes/nightjar/java-opens.txt")"
  export SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$dir/work"
  # One native BLAS thread in the master, the workers and the executors they start (jobs/bin/native-blas.sh says
  # why); executors also get it from jobs/submit.sh's spark.executorEnv settings.
  # shellcheck source=jobs/bin/native-blas.sh
  source "$cluster_root/jobs/bin/native-blas.sh"
  local port web
  port="$(cluster_free_port)"
  web="$(cluster_free_port)"
  CLUSTER_MASTER="spark://127.0.0.1:$port"
  CLUSTER_PIDS=()
  # shellcheck disable=SC2086 # CLUSTER_OPENS is a list of JVM options
  java -Xmx512m $CLUSTER_OPENS -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port "$web" > "$dir/logs/master.log" 2>&1 &
  CLUSTER_PIDS+=($!)
  cluster_wait_for_log "$dir/logs/master.log" "I have been elected leader" 60 || return 1
  for i in $(seq 1 "$workers"); do
    # shellcheck disable=SC2086
    java -Xmx512m $CLUSTER_OPENS -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --webui-port "$(cluster_free_port)" --cores "$cores" --memory "$memory" \
      --work-dir "$dir/work/worker-$i" "$CLUSTER_MASTER" > "$dir/logs/worker-$i.log" 2>&1 &
    CLUSTER_PIDS+=($!)
    cluster_wait_for_log "$dir/logs/worker-$i.log" "Successfully registered with master" 60 || return 1
  done
  # SparkSubmit in client mode runs the driver in its own JVM: give that JVM the options spark-submit's launcher
  # script would (heap, add-opens), since --driver-java-options cannot apply to a JVM that is already running.
  cat > "$dir/spark-submit" <<SUBMIT
#!/usr/bin/env bash
exec java -Xmx\${NIGHTJAR_DRIVER_MEMORY:-2g} $CLUSTER_OPENS -Dderby.system.home="$dir/work" \\
  -Dlog4j2.configurationFile="$cluster_root/conf/log4j2.properties" \\
  -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit "\$@"
SUBMIT
  chmod +x "$dir/spark-submit"
  echo "cluster: master $CLUSTER_MASTER with $workers workers of $cores core(s), logs in $dir/logs"
}

cluster_submit() {
  SPARK_SUBMIT="$CLUSTER_DIR/spark-submit" "$cluster_root/jobs/submit.sh" \
    --master "$CLUSTER_MASTER" --executor-memory 2g --conf spark.ui.enabled=false \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 -- "$@"
}

cluster_stop() {
  for pid in "${CLUSTER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${CLUSTER_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  CLUSTER_PIDS=()
}
