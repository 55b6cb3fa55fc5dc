package io.nightjar.bench;

import io.nightjar.data.DemoData;
import java.time.LocalDate;

/**
 * Issue 4, item 3: does fitting folds concurrently help on this machine? Runs the tuning benchmark's search (no Delta,
 * no refit) alternately with 1 and 2 concurrent fold fits in one JVM, so that both see the same load drift. Run with
 * {@code jobs/bench/tuning.sh --concurrent-fits [ROWS] [ROUNDS]}.
 */
public final class ConcurrentFitsBenchmark {
  private ConcurrentFitsBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    SearchBench bench = new SearchBench(
        """
        name: bench_friedman
        task: regression
        data: {training: {table: bench.friedman}, id: id, label: label}
        candidates:
          - family: gbt
            engine: xgboost
            loss: squared
            grid: {max_depth: [3, 5], num_trees: [20, 50], learning_rate: [0.1]}
        tuning: {folds: 3, metric: rmse, holdout: 0.2, seed: 42}
        """,
        spark -> DemoData.regression(spark, 0, rows, 42, LocalDate.of(2024, 1, 1)).drop("segment", "event_time"));
    for (int round = 0; round < rounds; round++) {
      for (int concurrent : new int[] {1, 2}) {
        bench.run(String.format("round %d, %d concurrent fits", round, concurrent),
            "nightjar.tuning.concurrentFits", Integer.toString(concurrent));
      }
    }
  }
}
