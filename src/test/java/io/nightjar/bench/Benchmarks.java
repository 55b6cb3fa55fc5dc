package io.nightjar.bench;

import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.TrainJob;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Steps the scoring benchmarks share: their tables in database {@code bench}, the timed training of
 * their model, and latencies measured after a warm-up, printed as nearest-rank quantiles.
 */
final class Benchmarks {
  private Benchmarks() {}

  /** Seconds since {@code started} ({@link System#nanoTime}). */
  static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }

  /** Writes {@code rows} as the Delta table {@code bench.name} and registers it. */
  static void write(JobContext context, String name, Dataset<Row> rows) {
    TableName table = new TableName("bench", name);
    rows.write().format("delta").mode("overwrite").save(context.warehouse().location(table));
    context.warehouse().register(table);
  }

  /**
   * Trains {@code spec} (100 trees of depth 6 in both benchmarks) and prints the time and holdout
   * rmse, followed by {@code more} of the outcome.
   */
  static TrainJob.Outcome train(
      JobContext context, ModelSpec spec, LocalDate day, Function<TrainJob.Outcome, String> more) {
    long started = System.nanoTime();
    TrainJob.Outcome trained = new TrainJob(context).run(spec, day);
    System.out.printf(
        "train (100 trees, depth 6, 2 folds + refit): %.1f s, holdout rmse %.4f%s%n",
        seconds(started),
        trained.version().evaluation().holdoutMetrics().get("rmse"),
        more.apply(trained));
    return trained;
  }

  /**
   * Calls {@code call} with 0, 1, ... {@code warmUp + timed - 1} and returns the milliseconds of
   * the last {@code timed} calls, sorted.
   */
  static double[] sortedMillis(int warmUp, int timed, IntConsumer call) {
    double[] millis = new double[timed];
    for (int i = 0; i < warmUp + timed; i++) {
      long started = System.nanoTime();
      call.accept(i);
      if (i >= warmUp) {
        millis[i - warmUp] = (System.nanoTime() - started) / 1e6;
      }
    }
    Arrays.sort(millis);
    return millis;
  }

  /**
   * "p50 … ms, p99 … ms, max … ms" of {@code sorted} milliseconds, each number in {@code format}
   * (e.g. %.1f).
   */
  static String percentiles(double[] sorted, String format) {
    return "p50 %s ms, p99 %s ms, max %s ms"
        .formatted(
            format.formatted(quantile(sorted, 0.50)),
            format.formatted(quantile(sorted, 0.99)),
            format.formatted(sorted[sorted.length - 1]));
  }

  /** The nearest-rank quantile of sorted {@code values}. */
  private static double quantile(double[] values, double q) {
    int rank = (int) Math.ceil(q * values.length);
    return values[Math.max(0, rank - 1)];
  }
}
