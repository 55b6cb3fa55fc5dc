package io.nightjar.xgboost;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestFolds;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.GridKey;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.data.Columns;
import io.nightjar.data.DemoData;
import io.nightjar.model.CrossValidation;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.LinearFamily;
import io.nightjar.model.ModelFamily;
import io.nightjar.model.TuningOptions;
import io.nightjar.registry.TrialStatus;
import io.nightjar.tuning.KFoldSearch;
import io.nightjar.tuning.Trial;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;

/**
 * Trials fitted natively in Spark tasks on folds in memory give the metrics the distributed
 * XGBoost4J-Spark fits give on the same folds (one worker each), for every plain loss, weights and
 * both tasks; and the limit switches between the two.
 */
class InMemoryFitsTest {
  private static final List<String> FEATURES =
      List.of("x1", "x2", "x3", "x4", "x5", "x6", "segment");
  private static final LocalDate DAY = LocalDate.of(2024, 1, 1);

  @AfterEach
  void defaultSettings() {
    TestSpark.session().conf().unset(TuningOptions.IN_MEMORY_LIMIT);
    TestSpark.session().conf().unset(TuningOptions.EARLY_STOPPING);
  }

  private static ModelSpec spec(
      String task, String loss, String metric, String search, String weight) {
    return TestSpecs.parse(
        """
        name: in_memory_test
        task: %s
        data: {training: {table: t}, id: id, label: label, categorical: [segment]%s}
        candidates:
          - {family: gbt, engine: xgboost, loss: %s,
             grid: {max_depth: [2, 4], num_trees: [8, 25], learning_rate: [0.2]}}
        tuning: {folds: 2, metric: %s, search: %s, max_trials: 4, seed: 3}
        """
            .formatted(task, weight == null ? "" : ", weight: " + weight, loss, metric, search),
        "nightjar");
  }

  /**
   * The rows a trainer gives the search: label (and weight) under Nightjar's working names, folds
   * assigned.
   */
  private static Dataset<Row> tuningRows(Dataset<Row> rows) {
    Dataset<Row> named = rows.withColumnRenamed("label", Columns.LABEL);
    if (List.of(rows.columns()).contains("w")) {
      named = named.withColumnRenamed("w", Columns.WEIGHT);
    }
    return TestFolds.twoFolds(named);
  }

  /** Runs {@code test} on {@link #tuningRows} of {@code rows}, unpersisted after it. */
  private static void onTuningRows(Dataset<Row> rows, Consumer<Dataset<Row>> test) {
    Dataset<Row> tuning = tuningRows(rows);
    try {
      test.accept(tuning);
    } finally {
      tuning.unpersist();
    }
  }

  /**
   * The trials' means by configuration, with fits in memory ({@code inMemory}) or distributed; only
   * fits in memory stop early, so comparisons turn that off.
   */
  private static List<Trial> search(
      ModelSpec spec, Dataset<Row> rows, boolean inMemory, boolean weighted) {
    SparkSession spark = TestSpark.session();
    spark.conf().set(TuningOptions.IN_MEMORY_LIMIT, inMemory ? "1g" : "0");
    // One worker per distributed fit (two folds at once on two slots), as each in-memory fit has.
    System.setProperty(TuningOptions.CONCURRENT_FITS, "2");
    try {
      return new KFoldSearch(
              spec, FeaturePlan.of(FEATURES, List.of("segment")), weighted, List.of())
          .run(rows, 2, (trial, n, total, elapsed, remaining) -> {})
          .trials();
    } finally {
      System.clearProperty(TuningOptions.CONCURRENT_FITS);
    }
  }

  private static List<Trial> searchWithoutEarlyStopping(
      ModelSpec spec, Dataset<Row> rows, boolean inMemory, boolean weighted) {
    TestSpark.session().conf().set(TuningOptions.EARLY_STOPPING, "false");
    try {
      return search(spec, rows, inMemory, weighted);
    } finally {
      TestSpark.session().conf().unset(TuningOptions.EARLY_STOPPING);
    }
  }

  private static void assertSameTrials(
      List<Trial> inMemory, List<Trial> distributed, double tolerance) {
    assertThat(inMemory).hasSameSizeAs(distributed);
    for (int i = 0; i < inMemory.size(); i++) {
      Trial a = inMemory.get(i);
      Trial b = distributed.get(i);
      assertThat(a.params()).isEqualTo(b.params());
      assertThat(a.status()).isEqualTo(TrialStatus.DONE);
      assertThat(a.foldValues()).hasSize(2);
      assertThat(a.mean())
          .as("%s", a.params())
          .isCloseTo(b.mean(), within(Math.abs(b.mean()) * tolerance));
    }
  }

  @Test
  void regressionLossesGiveTheMetricsOfDistributedFits() {
    onTuningRows(
        DemoData.regression(TestSpark.session(), 0, 1_500, 5, DAY),
        rows -> {
          Map<String, Double> best = new HashMap<>();
          // Squared and huber fits are the same model on both paths. Absolute loss differs by up to
          // 3%
          // here: XGBoost sets its leaf values to residual quantiles, which come out differently on
          // the
          // two paths (not investigated).
          for (String loss : List.of("squared", "huber", "absolute")) {
            ModelSpec spec = spec("regression", loss, "rmse", "grid", null);
            List<Trial> inMemory = searchWithoutEarlyStopping(spec, rows, true, false);
            assertSameTrials(
                inMemory, search(spec, rows, false, false), loss.equals("absolute") ? 0.05 : 1e-9);
            best.put(loss, inMemory.stream().mapToDouble(Trial::mean).min().orElseThrow());
          }
          // Huber (slope 1.35) on Gaussian noise fits about as well as squared loss: it starts from
          // the
          // label median.
          assertThat(best.get("huber")).isLessThan(1.3 * best.get("squared"));
        });
  }

  @Test
  void weightedClassificationGivesTheMetricsOfDistributedFits() {
    onTuningRows(
        DemoData.classification(TestSpark.session(), 0, 1_500, 6, DAY)
            .withColumn("w", when(col("x6").gt(0.5), lit(3.0)).otherwise(lit(1.0))),
        rows -> {
          // AUC reads the probabilities and ranks them exactly on the in-memory path; MetricsTest
          // covers log loss.
          ModelSpec spec = spec("classification", "logistic", "auc", "grid", "w");
          assertSameTrials(
              searchWithoutEarlyStopping(spec, rows, true, true),
              search(spec, rows, false, true),
              1e-9);
        });
  }

  @Test
  void halvingTrainsEarlyRungsOnASampleOfEachFoldInMemory() {
    onTuningRows(
        DemoData.regression(TestSpark.session(), 0, 1_500, 7, DAY),
        rows -> {
          List<Trial> trials =
              search(spec("regression", "squared", "rmse", "halving", null), rows, true, false);
          assertThat(trials).hasSize(4);
          assertThat(trials.stream().filter(t -> t.status().equals(TrialStatus.PRUNED))).hasSize(3);
          Trial winner =
              trials.stream()
                  .filter(t -> t.status().equals(TrialStatus.DONE))
                  .findFirst()
                  .orElseThrow();
          // The deeper, longer model wins on Friedman #1 (the noise-free part is smooth but not
          // additive).
          assertThat(winner.params()).containsValues(4.0, 25.0);
          assertThat(winner.mean())
              .isLessThan(
                  trials.stream()
                      .filter(t -> t.status().equals(TrialStatus.PRUNED))
                      .mapToDouble(Trial::mean)
                      .min()
                      .orElseThrow());
        });
  }

  @Test
  void fitsThatStopImprovingStopEarlyAndTheirLongerTrialsArePruned() {
    // Labels that are noise: deep, fast trees only fit the noise, so the validation RMSE is best
    // after a few trees.
    ModelSpec spec =
        TestSpecs.parse(
            """
        name: early_stopping_test
        task: regression
        data: {training: {table: t}, id: id, label: label, categorical: [segment]}
        candidates:
          - {family: gbt, loss: squared, grid: {max_depth: [6], num_trees: [3, 200], learning_rate: [0.9]}}
        tuning: {folds: 2, metric: rmse, seed: 3}
        """,
            "nightjar");
    onTuningRows(
        DemoData.regression(TestSpark.session(), 0, 1_500, 9, DAY).withColumn("label", rand(5)),
        rows -> {
          List<Trial> trials = search(spec, rows, true, false);
          assertThat(trials)
              .extracting(t -> t.params().get(GridKey.NUM_TREES), Trial::status)
              .containsExactly(
                  Tuple.tuple(3.0, TrialStatus.DONE), Tuple.tuple(200.0, TrialStatus.PRUNED));
          assertThat(trials.get(1).error())
              .startsWith(
                  "early stopping: no fold's fit reached 200 trees (the furthest stopped at ")
              .endsWith(": rmse not better for 20 rounds)");
          assertThat(trials.get(1).mean()).isNaN();
          // With early stopping off, the longer fit is scored: worse, as the stop assumed.
          List<Trial> full = searchWithoutEarlyStopping(spec, rows, true, false);
          assertThat(full).extracting(Trial::status).containsOnly(TrialStatus.DONE);
          assertThat(full.get(0).mean())
              .isEqualTo(trials.get(0).mean())
              .isLessThan(full.get(1).mean());
        });
  }

  @Test
  void anEarlyStoppedFitScoresItsFirstTreesAsAFullFitDoes() throws Exception {
    // Labels that are noise: a deep, fast booster overfits within a few trees.
    Random random = new Random(4);
    FoldMatrices folds = oneFold(random, 500, 200, x0 -> random.nextGaussian());
    HashMap<String, Object> params = squaredErrorBooster(6, 0.9);
    int[] trees = {2, 5, 300};
    EarlyStopping stopping = EarlyStopping.of(Metric.RMSE, trees);
    NativeFoldFit.Scores stopped =
        new NativeFoldFit(0, params, 300, false, trees, false, Metric.RMSE, null, 1.0, 1L, stopping)
            .run(folds);
    NativeFoldFit.Scores full =
        new NativeFoldFit(0, params, 300, false, trees, false, Metric.RMSE, null, 1.0, 1L, null)
            .run(folds);
    assertThat(full.trained).isEqualTo(300);
    assertThat(stopped.trained).isBetween(stopping.patience() + 1, 299);
    assertThat(stopped.values[0]).isEqualTo(full.values[0]);
    assertThat(stopped.values[1]).isEqualTo(full.values[1]);
    assertThat(stopped.values[2]).isNaN();
    assertThat(full.values[2]).isGreaterThan(full.values[0]);
  }

  @Test
  void aSampleKeepsAboutItsShareOfRowsWithTheirLabelsAndWeights() {
    int rows = 10_000;
    float[] features = new float[rows * 2];
    double[] labels = new double[rows];
    double[] weights = new double[rows];
    IntStream.range(0, rows)
        .forEach(
            r -> {
              features[2 * r] = r;
              features[2 * r + 1] = -r;
              labels[r] = r * 10.0;
              weights[r] = r + 0.5;
            });
    RowMatrix sample = new RowMatrix(features, labels, weights, rows, 2).sample(0.25, 9L);
    assertThat(sample.rows()).isBetween(2_300, 2_700);
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < sample.rows(); i++) {
      int r = (int) sample.features()[2 * i];
      assertThat(sample.features()[2 * i + 1]).isEqualTo(-r);
      assertThat(sample.labels()[i]).isEqualTo(r * 10.0);
      assertThat(sample.weights()[i]).isEqualTo(r + 0.5);
      kept.add(r);
    }
    assertThat(kept).isSorted().doesNotHaveDuplicates();
    assertThat(new RowMatrix(features, labels, weights, rows, 2).sample(0.25, 9L).labels())
        .containsExactly(sample.labels());
  }

  @Test
  void collectingPacksEveryPartitionsRowsInOrder() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> prepared =
        spark
            .range(0, 1_000, 1, 3)
            .selectExpr(
                "array(cast(id as double), cast(-id as double)) AS f",
                "cast(id * 2 as double) AS " + Columns.LABEL)
            .select(array_to_vector(col("f")).as(Columns.FEATURES), col(Columns.LABEL));
    RowMatrix matrix = RowMatrix.collect(prepared);
    assertThat(matrix.rows()).isEqualTo(1_000);
    assertThat(matrix.columns()).isEqualTo(2);
    assertThat(matrix.weights()).isNull();
    for (int r = 0; r < 1_000; r++) {
      assertThat(matrix.features()[2 * r]).isEqualTo((float) r);
      assertThat(matrix.features()[2 * r + 1]).isEqualTo((float) -r);
      assertThat(matrix.labels()[r]).isEqualTo(2.0 * r);
    }
  }

  @Test
  void foldsThatStoppedBelowWhereAnotherFoldGotAreFittedAgainToThatValue() throws Exception {
    Random random = new Random(5);
    FoldMatrices one = oneFold(random, 400, 100, x0 -> random.nextGaussian());
    FoldMatrices two = oneFold(random, 400, 100, x0 -> random.nextGaussian());
    FoldMatrices folds =
        new FoldMatrices(
            new ArrayList<>(List.of(one.train().get(0), two.train().get(0))),
            new ArrayList<>(List.of(one.validation().get(0), two.validation().get(0))));
    HashMap<String, Object> params = squaredErrorBooster(3, 0.3);
    int[] trees = {5, 40, 80};
    EarlyStopping stopping = EarlyStopping.of(Metric.RMSE, trees);
    List<NativeFoldFit> fits = new ArrayList<>();
    for (int fold = 0; fold < 2; fold++) {
      fits.add(
          new NativeFoldFit(
              fold, params, 80, false, trees, false, Metric.RMSE, null, 1.0, fold, stopping));
    }
    var shared =
        JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext()).broadcast(folds);
    try {
      // As if fold 0 had stopped at 12 trees and fold 1 at 50: fold 0 is fitted again to 40, the
      // largest value fold 1 reached; fold 1 is kept as it is.
      NativeFoldFit.Scores reachedFifty =
          new NativeFoldFit.Scores(new double[] {1.0, 1.1, Double.NaN}, 50);
      List<NativeFoldFit.Scores> caughtUp =
          InMemoryFits.catchUp(
              fits,
              List.of(
                  new NativeFoldFit.Scores(new double[] {1.0, Double.NaN, Double.NaN}, 12),
                  reachedFifty),
              trees,
              shared);
      assertThat(caughtUp.get(1)).isSameAs(reachedFifty);
      assertThat(caughtUp.get(0).trained).isEqualTo(40);
      NativeFoldFit.Scores full = fits.get(0).withRounds(80).run(folds);
      assertThat(caughtUp.get(0).values[0]).isEqualTo(full.values[0]);
      assertThat(caughtUp.get(0).values[1]).isEqualTo(full.values[1]);
      assertThat(caughtUp.get(0).values[2]).isNaN();
    } finally {
      shared.destroy();
    }
  }

  @Test
  void foldsAndFitsSurviveKryoAsClustersOftenConfigureIt() throws Exception {
    // Broadcasts and parallelized elements go through spark.serializer; Kryo 4 cannot serialise
    // records.
    Random random = new Random(3);
    FoldMatrices folds = oneFold(random, 300, 100, x0 -> 3 * x0 + 0.1 * random.nextGaussian());
    HashMap<String, Object> params = squaredErrorBooster(3, 0.3);
    NativeFoldFit fit =
        new NativeFoldFit(
            0, params, 20, true, new int[] {5, 20}, false, Metric.RMSE, null, 1.0, 1L, null);
    double[] expected = fit.run(folds).values;
    assertThat(expected[1]).isLessThan(expected[0]).isLessThan(1.0);

    var kryo = new KryoSerializer(new SparkConf()).newInstance();
    ClassTag<Object> any = scala.reflect.ClassTag$.MODULE$.apply(Object.class);
    FoldMatrices foldsBack = (FoldMatrices) kryo.deserialize(kryo.serialize(folds, any), any);
    NativeFoldFit fitBack = (NativeFoldFit) kryo.deserialize(kryo.serialize(fit, any), any);
    assertThat(fitBack.run(foldsBack).values).containsExactly(expected);
    NativeFoldFit stopping =
        new NativeFoldFit(
            0,
            params,
            20,
            true,
            new int[] {5, 20},
            false,
            Metric.RMSE,
            null,
            1.0,
            1L,
            EarlyStopping.of(Metric.RMSE, new int[] {5, 20}));
    NativeFoldFit.Scores scores = stopping.run(folds);
    NativeFoldFit.Scores scoresBack =
        ((NativeFoldFit) kryo.deserialize(kryo.serialize(stopping, any), any)).run(foldsBack);
    assertThat(scoresBack.trained).isEqualTo(scores.trained);
    assertThat(scoresBack.values).containsExactly(scores.values);
    assertThat(foldsBack.validation().get(0).labels())
        .containsExactly(folds.validation().get(0).labels());
  }

  @Test
  void plainXGBoostBoostersWithinTheLimitAreFittedInMemory() {
    SparkSession spark = TestSpark.session();
    ModelSpec spec = spec("regression", "squared", "rmse", "grid", null);
    var xgboost = new XGBoostFamily();
    var squared = xgboost.estimator(spec.task(), spec.candidates().get(0), Map.of(), false);
    var quantile =
        xgboost.estimator(
            spec.task(),
            TestSpecs.parse(
                    """
            name: q
            task: regression
            data: {training: {table: t}, id: id, label: label}
            candidates: [{family: gbt, loss: quantile, quantile: 0.9, grid: {max_depth: [2]}}]
            tuning: {metric: pinball}
            """,
                    "nightjar")
                .candidates()
                .get(0),
            Map.of(),
            false);
    var linear =
        new LinearFamily()
            .estimator(
                spec.task(),
                spec("regression", "squared", "rmse", "grid", null).candidates().get(0),
                Map.of(),
                false);
    onTuningRows(
        DemoData.regression(spark, 0, 1_000, 8, DAY),
        rows -> {
          // About 800 tuning rows x 7 features x 2 folds: 2 x 800 x (28 + 16) bytes = about 70 kB.
          assertThat(TuningOptions.read(spark).inMemoryLimitBytes()).isEqualTo(256L << 20);
          assertThat(inMemoryFits(spec, rows).fits(squared)).isTrue();
          assertThat(inMemoryFits(spec, rows).fits(quantile)).isFalse();
          assertThat(inMemoryFits(spec, rows).fits(linear)).isFalse();
          spark.conf().set(TuningOptions.IN_MEMORY_LIMIT, "60k");
          assertThat(inMemoryFits(spec, rows).fits(squared)).isFalse();
          spark.conf().set(TuningOptions.IN_MEMORY_LIMIT, "80k");
          assertThat(inMemoryFits(spec, rows).fits(squared)).isTrue();
          spark.conf().set(TuningOptions.IN_MEMORY_LIMIT, "0");
          assertThat(inMemoryFits(spec, rows).fits(squared)).isFalse();
        });
  }

  /** The fits in memory of a search on {@code rows} in two folds, with the session's settings. */
  private static InMemoryFits inMemoryFits(ModelSpec spec, Dataset<Row> rows) {
    CrossValidation.Folds folds =
        new CrossValidation.Folds() {
          @Override
          public int folds() {
            return 2;
          }

          @Override
          public CrossValidation.Fold fold(ModelFamily family, int fold) {
            throw new UnsupportedOperationException("the size check reads no fold");
          }
        };
    return new InMemoryFits(
        new CrossValidation(
            spec.task(),
            spec.tuning().metric(),
            false,
            spec.tuning().seed(),
            TuningOptions.read(TestSpark.session()),
            rows,
            FEATURES.size(),
            folds));
  }

  /** Native parameters of a squared-error booster: one thread, quiet, seed 0. */
  private static HashMap<String, Object> squaredErrorBooster(int maxDepth, double eta) {
    return new HashMap<>(
        Map.of(
            "objective",
            "reg:squarederror",
            "max_depth",
            maxDepth,
            "eta",
            eta,
            "nthread",
            1,
            "verbosity",
            0,
            "seed",
            0));
  }

  /**
   * One fold of rows with two uniform features: {@code train} training and {@code validation}
   * validation rows, each labelled {@code label(x0)}.
   */
  private static FoldMatrices oneFold(
      Random random, int train, int validation, DoubleUnaryOperator label) {
    IntFunction<RowMatrix> matrix =
        n -> {
          float[] x = new float[2 * n];
          double[] y = new double[n];
          for (int r = 0; r < n; r++) {
            x[2 * r] = random.nextFloat();
            x[2 * r + 1] = random.nextFloat();
            y[r] = label.applyAsDouble(x[2 * r]);
          }
          return new RowMatrix(x, y, null, n, 2);
        };
    return new FoldMatrices(
        new ArrayList<>(List.of(matrix.apply(train))),
        new ArrayList<>(List.of(matrix.apply(validation))));
  }
}
