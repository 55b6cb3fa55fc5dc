package io.nightjar.bench;

import io.nightjar.data.DemoData;
import io.nightjar.model.TuningOptions;
import io.nightjar.tuning.Trial;
import java.time.LocalDate;
import java.util.List;

/**
 * Issue 4: what following the regularisation path saves. Runs the search of a logistic candidate
 * over eight {@code reg_param} values (3 folds, binary Demo data with 20 features and a segment)
 * alternately along the path (each fit warm-started from the next larger penalty's model) and from
 * scratch, in one JVM, and prints both times and the largest difference between their fold means.
 * Run with {@code jobs/bench/tuning.sh --linear-path [ROWS] [ROUNDS]}.
 */
public final class LinearPathBenchmark {
  private LinearPathBenchmark() {}

  public static void main(String[] args) throws Exception {
    SearchBench bench =
        new SearchBench(
            args,
            2,
            """
        name: bench_logistic
        task: classification
        data: {training: {table: bench.binary}, id: id, label: label, categorical: [segment]}
        candidates:
          - family: linear
            loss: logistic
            grid: {reg_param: [0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0], elastic_net: [0.0]}
        tuning: {folds: 3, metric: logloss, holdout: 0.2, seed: 42}
        """,
            (spark, rows) ->
                DemoData.classification(spark, 0, rows, 42, LocalDate.of(2024, 1, 1))
                    .drop("event_time"));
    for (int round = 0; round < bench.rounds(); round++) {
      List<Trial> path =
          bench.run(
              "round " + round + ", along the path", TuningOptions.REGULARISATION_PATH, "true");
      List<Trial> cold =
          bench.run(
              "round " + round + ", from scratch", TuningOptions.REGULARISATION_PATH, "false");
      double largest = 0;
      for (int i = 0; i < path.size(); i++) {
        largest =
            Math.max(
                largest,
                Math.abs(path.get(i).mean() - cold.get(i).mean()) / Math.abs(cold.get(i).mean()));
      }
      System.out.printf(
          "round %d: largest relative difference of a trial's cv mean: %.2e%n", round, largest);
    }
  }
}
