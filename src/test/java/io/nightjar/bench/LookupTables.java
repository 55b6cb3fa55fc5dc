package io.nightjar.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;

import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.jobs.JobContext;
import io.nightjar.scoring.PredictionTable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * A large classification prediction table for the lookup benchmarks, written the way {@code score}
 * writes it.
 */
final class LookupTables {
  private LookupTables() {}

  /**
   * Writes {@code days} score dates of {@code entities} entities (ids 0..n-1, bigint, in id order)
   * into {@code db.output}, lays out each date by id as {@code score} does and creates the current
   * view. Returns the table.
   */
  static PredictionTable write(JobContext context, String output, long entities, int days) {
    TableName name = new TableName(context.env().database(), output);
    PredictionTable table =
        new PredictionTable(
            context.warehouse(), name, "id", DataTypes.LongType, Task.CLASSIFICATION);
    Instant scoredAt = Instant.parse("2024-06-30T02:00:00Z");
    for (int d = 0; d < days; d++) {
      LocalDate date = LocalDate.of(2024, 6, 30).plusDays(d);
      Instant at = scoredAt.plus(Duration.ofDays(d));
      Dataset<Row> rows =
          context
              .spark()
              .range(entities)
              .toDF("id")
              .withColumn("probability", rand(d))
              .withColumn("prediction", col("probability").geq(0.5).cast("double"))
              .select(
                  col("id"),
                  col("prediction"),
                  col("probability"),
                  lit("bench_model").as("model_name"),
                  lit(d + 1).as("model_version"),
                  lit("run-" + d).as("run_id"),
                  lit(Date.valueOf(date)).as("score_date"),
                  lit(Timestamp.from(at)).as("scored_at"),
                  lit(Timestamp.from(at.plus(Duration.ofDays(3650)))).as("valid_until"),
                  lit(null).cast("long").as("input_version"));
      rows = context.spark().createDataFrame(rows.rdd(), table.schema());
      long started = System.nanoTime();
      table.replaceDate(rows, "bench_model", date);
      double write = (System.nanoTime() - started) / 1e9;
      // As score does: Z-order the date only when a lookup could read more than FILES_PER_LOOKUP of
      // its files.
      started = System.nanoTime();
      int filesPerId = table.filesPerId(date);
      if (filesPerId > PredictionTable.FILES_PER_LOOKUP) {
        table.optimizeDate(date);
      }
      System.out.printf(
          "date %s: %d rows written in %.1fs; one id in at most %d files; %s in %.1fs%n",
          date,
          entities,
          write,
          filesPerId,
          filesPerId > PredictionTable.FILES_PER_LOOKUP ? "optimized" : "checked",
          (System.nanoTime() - started) / 1e9);
    }
    table.createCurrentView();
    return table;
  }
}
