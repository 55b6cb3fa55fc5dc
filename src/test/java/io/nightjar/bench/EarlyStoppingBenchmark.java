package io.nightjar.bench;

import io.nightjar.data.DemoData;
import java.time.LocalDate;

/**
 * Issue 4: what early stopping saves when a grid's larger {@code num_trees} values overfit. The Friedman search of
 * the tuning benchmark with a fast learning rate and {@code num_trees: [50, 200, 500]} (fits in memory), alternately
 * with {@code spark.nightjar.tuning.earlyStopping} on and off, in one JVM. Run with {@code jobs/bench/tuning.sh
 * --early-stopping [ROWS] [ROUNDS]}.
 */
public final class EarlyStoppingBenchmark {
  private EarlyStoppingBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    SearchBench bench = new SearchBench(
        """
        name: bench_friedman_long
        task: regression
        data: {training: {table: bench.friedman}, id: id, label: label}
        candidates:
          - family: gbt
            engine: xgboost
            loss: squared
            grid: {max_depth: [3, 5], num_trees: [50, 200, 500], learning_rate: [0.3]}
        tuning: {folds: 3, metric: rmse, holdout: 0.2, seed: 42}
        """,
        spark -> DemoData.regression(spark, 0, rows, 42, LocalDate.of(2024, 1, 1)).drop("segment", "event_time"));
    for (int round = 0; round < rounds; round++) {
      bench.run("round " + round + ", early stopping", "spark.nightjar.tuning.earlyStopping", "true");
      bench.run("round " + round + ", every value scored", "spark.nightjar.tuning.earlyStopping", "false");
    }
  }
}
