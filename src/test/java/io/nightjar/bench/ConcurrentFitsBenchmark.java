package io.nightjar.bench;

import io.nightjar.model.TuningOptions;

/**
 * Issue 4, item 3: does fitting folds concurrently help on this machine? Runs the tuning
 * benchmark's search (no Delta, no refit) alternately with 1 and 2 concurrent fold fits in one JVM,
 * so that both see the same load drift. Run with {@code jobs/bench/tuning.sh --concurrent-fits
 * [ROWS] [ROUNDS]}.
 */
public final class ConcurrentFitsBenchmark {
  private ConcurrentFitsBenchmark() {}

  public static void main(String[] args) throws Exception {
    SearchBench bench =
        new SearchBench(
            args, 3, Friedman.spec("bench_friedman", Friedman.ISSUE_GRID), Friedman::rows);
    for (int round = 0; round < bench.rounds(); round++) {
      for (int concurrent : new int[] {1, 2}) {
        bench.run(
            String.format("round %d, %d concurrent fits", round, concurrent),
            TuningOptions.CONCURRENT_FITS,
            Integer.toString(concurrent));
      }
    }
  }
}
