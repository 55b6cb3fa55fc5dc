package io.nightjar.bench;

import io.nightjar.TestSpark;
import io.nightjar.jobs.JobContext;
import io.nightjar.lookup.SqlServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.execution.ui.SQLAppStatusStore;
import org.apache.spark.sql.execution.ui.SQLExecutionUIData;
import org.apache.spark.sql.execution.ui.SQLPlanMetric;
import scala.collection.JavaConverters;

/**
 * Issue 6 benchmark (b): point lookups by id over JDBC against {@code sql-server} on a large {@code
 * _current} view. Writes 2 score dates of ROWS entities (so the table holds 2 x ROWS rows and the
 * view ROWS), each date Z-ordered by id as {@code score} leaves it, starts the Thrift server in the
 * same JVM, and runs LOOKUPS queries {@code SELECT * FROM ..._current WHERE id = N} for random ids
 * over one connection (after 3 warm-up queries). Files read per lookup come from Spark's SQL
 * metrics ("number of files read" of the scans of each query). Run with {@code jobs/bench/lookup.sh
 * jdbc [ROWS] [LOOKUPS]}.
 */
public final class JdbcLookupBenchmark {
  private JdbcLookupBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path dir = Files.createTempDirectory("nightjar-bench-jdbc");
    JobContext context = TestSpark.contextWithDatabase(dir, "bench");
    LookupTables.write(context, "predictions_bench", rows, 2);
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    SQLAppStatusStore store = context.spark().sharedState().statusStore();
    System.out.println(
        "files per score date: "
            + context
                .spark()
                .sql(
                    "SELECT score_date, count(DISTINCT f) AS files FROM (SELECT score_date, input_file_name() AS f FROM"
                        + " bench.predictions_bench) GROUP BY score_date ORDER BY score_date")
                .collectAsList());

    try (SqlServer server = SqlServer.start(context.warehouse(), "127.0.0.1", port, Duration.ZERO);
        Connection connection = DriverManager.getConnection(server.url());
        Statement statement = connection.createStatement()) {
      List<Double> millis = new ArrayList<>();
      List<Long> files = new ArrayList<>();
      for (int i = -3; i < lookups; i++) {
        long id = ThreadLocalRandom.current().nextLong(rows);
        String sql = "SELECT * FROM bench.predictions_bench_current WHERE id = " + id;
        long started = System.nanoTime();
        int found = 0;
        try (ResultSet result = statement.executeQuery(sql)) {
          while (result.next()) {
            found++;
          }
        }
        double ms = (System.nanoTime() - started) / 1e6;
        if (found != 1) {
          throw new IllegalStateException("id " + id + " returned " + found + " rows");
        }
        if (i >= 0) {
          millis.add(ms);
          files.add(filesRead(store, sql));
        }
      }
      Collections.sort(millis);
      Collections.sort(files);
      System.out.printf(
          "jdbc: %d lookups on a view of %d entities (table %d rows): p50 %.0f ms, p90 %.0f ms,"
              + " max %.0f ms; files read per lookup: median %d, max %d%n",
          lookups,
          rows,
          2 * rows,
          millis.get(lookups / 2),
          millis.get((int) (lookups * 0.9)),
          millis.get(lookups - 1),
          files.get(lookups / 2),
          files.get(lookups - 1));
    }
    System.exit(0);
  }

  /** Sum of "number of files read" over the scans of the latest execution of {@code sql}. */
  private static long filesRead(SQLAppStatusStore store, String sql) {
    SQLExecutionUIData last = null;
    for (SQLExecutionUIData execution : JavaConverters.seqAsJavaList(store.executionsList())) {
      if (sql.equals(execution.description())
          && (last == null || execution.executionId() > last.executionId())) {
        last = execution;
      }
    }
    if (last == null) {
      return -1;
    }
    var values = store.executionMetrics(last.executionId());
    // The adaptive plan lists a scan's metrics once per plan it appears in (initial, final): count
    // each once.
    Map<Long, Long> byAccumulator = new HashMap<>();
    for (SQLPlanMetric metric : JavaConverters.seqAsJavaList(last.metrics())) {
      if ("number of files read".equals(metric.name()) && values.contains(metric.accumulatorId())) {
        byAccumulator.put(
            metric.accumulatorId(),
            Long.parseLong(values.apply(metric.accumulatorId()).replace(",", "").trim()));
      }
    }
    return byAccumulator.values().stream().mapToLong(Long::longValue).sum();
  }
}
