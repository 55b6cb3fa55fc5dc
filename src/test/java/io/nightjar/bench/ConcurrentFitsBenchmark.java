package io.nightjar.bench;

import io.nightjar.TestSpark;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.data.DemoData;
import io.nightjar.data.TrainingFrame;
import io.nightjar.train.FeaturePlan;
import io.nightjar.train.tuning.KFoldSearch;
import io.nightjar.train.tuning.Splits;
import io.nightjar.train.tuning.TuningListener;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Issue 4, item 3: does fitting folds concurrently help on this machine? Runs the tuning benchmark's search (no Delta,
 * no refit) alternately with 1 and 2 concurrent fold fits in one JVM, so that both see the same load drift. Run with
 * {@code java ... io.nightjar.bench.ConcurrentFitsBenchmark [ROWS] [ROUNDS]}.
 */
public final class ConcurrentFitsBenchmark {
  private ConcurrentFitsBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    var spark = TestSpark.context(Files.createTempDirectory("nightjar-bench"), "bench").spark();
    ModelSpec spec =
        SpecLoader.parse(
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
            "benchmark spec",
            "bench");
    Dataset<Row> raw = DemoData.regression(spark, 0, rows, 42, LocalDate.of(2024, 1, 1)).drop("segment", "event_time")
        .persist(StorageLevel.MEMORY_AND_DISK());
    TrainingFrame frame = TrainingFrame.prepare(spec, raw);
    Dataset<Row> tuning = Splits.of(frame.rows(), "id", null, 0.2, 3, 42L).tuning()
        .persist(StorageLevel.MEMORY_AND_DISK());
    tuning.count();
    FeaturePlan plan = FeaturePlan.of(frame.features(), frame.categorical());
    for (int round = 0; round < rounds; round++) {
      for (int concurrent : new int[] {1, 2}) {
        System.setProperty("nightjar.tuning.concurrentFits", Integer.toString(concurrent));
        long started = System.nanoTime();
        var outcome = new KFoldSearch(spec, plan, false, List.of()).run(tuning, 3, TuningListener.NONE);
        System.out.printf("round %d, %d concurrent fits: %.1f s, best cv rmse %.4f%n", round, concurrent,
            (System.nanoTime() - started) / 1e9,
            outcome.trials().stream().mapToDouble(t -> t.mean()).min().orElse(Double.NaN));
      }
    }
  }
}
