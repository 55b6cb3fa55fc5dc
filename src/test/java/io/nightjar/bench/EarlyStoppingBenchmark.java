package io.nightjar.bench;

import io.nightjar.model.TuningOptions;

/**
 * Issue 4: what early stopping saves when a grid's larger {@code num_trees} values overfit. The
 * Friedman search of the tuning benchmark with a fast learning rate and {@code num_trees: [50, 200,
 * 500]} (fits in memory), alternately with {@value TuningOptions#EARLY_STOPPING} on and off, in one
 * JVM. Run with {@code jobs/bench/tuning.sh --early-stopping [ROWS] [ROUNDS]}.
 */
public final class EarlyStoppingBenchmark {
  private EarlyStoppingBenchmark() {}

  public static void main(String[] args) throws Exception {
    String grid = "{max_depth: [3, 5], num_trees: [50, 200, 500], learning_rate: [0.3]}";
    SearchBench bench =
        new SearchBench(args, 2, Friedman.spec("bench_friedman_long", grid), Friedman::rows);
    for (int round = 0; round < bench.rounds(); round++) {
      bench.run("round " + round + ", early stopping", TuningOptions.EARLY_STOPPING, "true");
      bench.run("round " + round + ", every value scored", TuningOptions.EARLY_STOPPING, "false");
    }
  }
}
