package io.nightjar.bench;

import io.nightjar.TestSpark;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.config.Task;
import io.nightjar.data.DemoData;
import io.nightjar.data.Splits;
import io.nightjar.data.TrainingFrame;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.Metrics;
import io.nightjar.model.Predictions;
import io.nightjar.registry.HistoricTrial;
import io.nightjar.tuning.GridPoints;
import io.nightjar.tuning.KFoldSearch;
import io.nightjar.tuning.Trial;
import io.nightjar.tuning.TuningListener;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Issue 19: does a search that learns across nights keep improving? Friedman #1 (20 features),
 * {@code ROWS} new training rows each simulated night (same distribution, new seed), a fixed
 * holdout of 20,000 rows; GBT on XGBoost over {@code learning_rate} log 0.01–0.3, {@code max_depth}
 * 2–8, {@code num_trees} 50–500, {@code subsample} 0.5–1.0; {@code NIGHTS} nights of {@code TRIALS}
 * trials. Strategies: (a) {@code grid} over 3 × 3 hand-picked points, (b) {@code random}, (c)
 * {@code bayes} without warm start, (d) {@code bayes} with warm start (every earlier night's
 * trials, handed over as {@code tuning_trials} would). Each night the winner is refitted on the
 * night's tuning rows and measured on the fixed holdout. Over {@code SEEDS} seeds it prints, per
 * strategy and night, the mean holdout RMSE and its spread, and the best RMSE of a {@code
 * REFERENCE}-trial random search on night 1 (the target: (d) within 1% of it by night 3). Run with
 * {@code jobs/bench/tuning.sh --bayes-nights [ROWS] [NIGHTS] [TRIALS] [SEEDS] [REFERENCE]} (issue
 * sizes: 100000 7 12 3 200).
 */
public final class BayesNightsBenchmark {
  private static final String SPACE =
      "{learning_rate: {min: 0.01, max: 0.3, scale: log}, max_depth: {min: 2, max: 8},"
          + " num_trees: {min: 50, max: 500}, subsample: {min: 0.5, max: 1.0}}";
  private static final String HAND_GRID =
      "{learning_rate: [0.03, 0.1, 0.3], max_depth: [3, 5, 7], num_trees: [300], subsample: [0.8]}";
  private static final LocalDate FIRST_NIGHT = LocalDate.of(2024, 1, 1);

  private BayesNightsBenchmark() {}

  private static String spec(String grid, String search, int trials, long seed, boolean warm) {
    return """
    name: bench_bayes
    task: regression
    data: {training: {table: bench.friedman}, id: id, label: label}
    candidates:
      - {family: gbt, engine: xgboost, loss: squared, grid: %s}
    tuning: {folds: 3, metric: rmse, holdout: 0.01, search: %s, max_trials: %d, seed: %d, warm_start: %s}
    """
        .formatted(grid, search, trials, seed, warm);
  }

  /** One night of one strategy: the winner's holdout RMSE, and the night's trials for history. */
  private record Night(double holdoutRmse, Trial winner, List<Trial> trials) {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
    int nights = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int trials = args.length > 2 ? Integer.parseInt(args[2]) : 12;
    int seeds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int reference = args.length > 4 ? Integer.parseInt(args[4]) : 200;
    long started = System.nanoTime();
    SparkSession spark =
        TestSpark.context(Files.createTempDirectory("nightjar-bench"), "bench").spark();
    ModelSpec shape = SpecLoader.parse(spec(SPACE, "random", 1, 1, false), "bench", "bench");
    Dataset<Row> holdout =
        TrainingFrame.prepare(shape, friedman(spark, 1_000_000_000L, 20_000, 999))
            .rows()
            .persist(StorageLevel.MEMORY_AND_DISK());
    holdout.count();
    // The reference first, so that a run stopped part-way still shows each night's gap to it.
    ModelSpec wide = SpecLoader.parse(spec(SPACE, "random", reference, 7, false), "bench", "bench");
    double target = night(spark, wide, rows, 100L, FIRST_NIGHT, List.of(), holdout).holdoutRmse();
    System.out.printf(
        "reference: %d-trial random search, night 1: holdout rmse %.5f (%.0f s)%n",
        reference, target, (System.nanoTime() - started) / 1e9);
    Map<String, List<List<Double>>> bySeed = new LinkedHashMap<>();
    // (d) and (b) first: the targets compare them, so a run stopped part-way has them.
    for (String strategy : List.of("d bayes+warm", "b random", "c bayes", "a grid 3x3")) {
      List<List<Double>> perSeed = new ArrayList<>();
      for (int seed = 1; seed <= seeds; seed++) {
        List<HistoricTrial> history = new ArrayList<>();
        List<Double> perNight = new ArrayList<>();
        for (int night = 0; night < nights; night++) {
          ModelSpec spec = strategy(strategy, trials, seed);
          LocalDate date = FIRST_NIGHT.plusDays(night);
          Night result = night(spark, spec, rows, seed * 100L + night, date, history, holdout);
          perNight.add(result.holdoutRmse());
          for (Trial trial : result.trials()) {
            if (trial.done()) {
              var params = GridPoints.describe(trial.params());
              history.add(
                  new HistoricTrial(
                      date,
                      KFoldSearch.Point.key(trial.candidate().label(), params),
                      params,
                      trial.mean(),
                      trial.seconds()));
            }
          }
          System.out.printf(
              "%s seed %d night %d: holdout rmse %.5f (%+.2f%% vs reference), winner %s (cv"
                  + " %.5f), %.0f s%n",
              strategy,
              seed,
              night + 1,
              result.holdoutRmse(),
              100 * (result.holdoutRmse() - target) / target,
              GridPoints.describe(result.winner().params()),
              result.winner().mean(),
              (System.nanoTime() - started) / 1e9);
        }
        perSeed.add(perNight);
      }
      bySeed.put(strategy, perSeed);
    }
    System.out.println();
    System.out.println("strategy | night | mean holdout rmse | min | max | vs reference");
    bySeed.forEach(
        (strategy, perSeed) -> {
          for (int night = 0; night < nights; night++) {
            int at = night;
            double[] values = perSeed.stream().mapToDouble(list -> list.get(at)).toArray();
            double mean = Arrays.stream(values).average().orElse(Double.NaN);
            System.out.printf(
                "%s | %d | %.5f | %.5f | %.5f | %+.2f%%%n",
                strategy,
                night + 1,
                mean,
                Arrays.stream(values).min().orElse(Double.NaN),
                Arrays.stream(values).max().orElse(Double.NaN),
                100 * (mean - target) / target);
          }
        });
    System.out.printf("wall time: %.0f s%n", (System.nanoTime() - started) / 1e9);
  }

  private static ModelSpec strategy(String strategy, int trials, int seed) {
    String yaml =
        switch (strategy.charAt(0)) {
          case 'a' -> spec(HAND_GRID, "grid", trials, seed, false);
          case 'b' -> spec(SPACE, "random", trials, seed, false);
          case 'c' -> spec(SPACE, "bayes", trials, seed, false);
          default -> spec(SPACE, "bayes", trials, seed, true);
        };
    return SpecLoader.parse(yaml, "bench", "bench");
  }

  private static Dataset<Row> friedman(SparkSession spark, long firstId, long rows, long seed) {
    return DemoData.regression(spark, firstId, rows, seed, FIRST_NIGHT)
        .drop("segment", "event_time");
  }

  private static Night night(
      SparkSession spark,
      ModelSpec spec,
      long rows,
      long dataSeed,
      LocalDate date,
      List<HistoricTrial> history,
      Dataset<Row> holdout) {
    TrainingFrame frame =
        TrainingFrame.prepare(spec, friedman(spark, dataSeed * rows, rows, dataSeed));
    Dataset<Row> tuning =
        Splits.of(frame.rows(), "id", null, spec.tuning().holdout(), 3, spec.tuning().seed())
            .tuning()
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      KFoldSearch search =
          new KFoldSearch(
              spec,
              FeaturePlan.of(frame.features(), frame.categorical()),
              false,
              List.of(),
              List.of(),
              history,
              date);
      List<Trial> trials = search.run(tuning, 3, TuningListener.NONE).trials();
      Trial winner =
          trials.stream()
              .filter(Trial::done)
              .min(Comparator.comparingDouble(Trial::mean))
              .orElseThrow();
      PipelineModel model = search.fit(winner.candidate(), winner.params(), tuning);
      double rmse =
          Metrics.compute(
              Predictions.predict(model, Task.REGRESSION, holdout), Metric.RMSE, false, null);
      return new Night(rmse, winner, trials);
    } finally {
      tuning.unpersist();
    }
  }
}
