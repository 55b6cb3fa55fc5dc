package io.nightjar.tuning;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestFolds;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.GridKey;
import io.nightjar.config.ModelSpec;
import io.nightjar.data.Columns;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.TuningOptions;
import io.nightjar.registry.HistoricTrial;
import io.nightjar.registry.PastTrial;
import io.nightjar.registry.TrialStatus;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The searches on data built so that the best configuration is known: y = 3 x + noise, where less
 * shrinkage wins.
 */
class KFoldSearchTest {
  static Dataset<Row> rows;

  @BeforeAll
  static void data() {
    Dataset<Row> base =
        TestSpark.session().range(0, 600, 1, 2).withColumn("x", rand(5)).withColumn("x2", rand(6));
    rows =
        TestFolds.twoFolds(
            base.withColumn(Columns.LABEL, col("x").multiply(3).plus(randn(7).multiply(0.1))));
  }

  @AfterAll
  static void release() {
    rows.unpersist();
  }

  private static ModelSpec spec(String tuning, String grid) {
    return TestSpecs.parse(
        """
        name: search_test
        task: regression
        data: {training: {table: t}, id: id, label: y}
        candidates:
          - family: linear
            loss: squared
            grid: %s
        tuning: %s
        """
            .formatted(grid, tuning),
        "nightjar");
  }

  private static KFoldSearch search(ModelSpec spec, List<String> warmStart) {
    return new KFoldSearch(spec, FeaturePlan.of(List.of("x", "x2"), List.of()), false, warmStart);
  }

  private static double reg(Trial trial) {
    return trial.params().get(GridKey.REG_PARAM);
  }

  private static Trial best(List<Trial> trials) {
    return trials.stream()
        .filter(Trial::done)
        .min(Comparator.comparingDouble(Trial::mean))
        .orElseThrow();
  }

  @Test
  void gridEvaluatesEveryPointAndFindsTheKnownBest() {
    ModelSpec spec = spec("{folds: 2, metric: rmse}", "{reg_param: [3.0, 0.0, 1.0]}");
    List<Trial> heard = new ArrayList<>();
    KFoldSearch.Outcome outcome =
        search(spec, List.of()).run(rows, 2, (t, n, total, e, r) -> heard.add(t));
    assertThat(outcome.trials()).hasSize(3).allMatch(Trial::done).isEqualTo(heard);
    assertThat(outcome.trials()).allMatch(t -> t.foldValues().size() == 2);
    assertThat(reg(best(outcome.trials()))).isEqualTo(0.0);
    assertThat(best(outcome.trials()).mean()).isLessThan(0.2);
    assertThat(outcome.budgetExhausted()).isFalse();
  }

  @Test
  void randomSamplesMaxTrialsPointsReproducibly() {
    ModelSpec spec =
        spec(
            "{search: random, max_trials: 4, seed: 3}",
            "{reg_param: [0.0, 0.1, 1.0, 3.0], elastic_net: [0.0, 0.5, 1.0]}");
    List<KFoldSearch.Point> points = search(spec, List.of()).points();
    assertThat(points).hasSize(4).doesNotHaveDuplicates();
    assertThat(search(spec, List.of()).points()).isEqualTo(points);
  }

  @Test
  void warmStartPutsPastBestConfigurationsFirst() {
    ModelSpec spec =
        spec("{search: random, max_trials: 3, seed: 3}", "{reg_param: [0.0, 0.1, 1.0, 3.0, 9.0]}");
    String pastBest = KFoldSearch.Point.key("linear/squared", Map.of("reg_param", "9"));
    String pastSecond = KFoldSearch.Point.key("linear/squared", Map.of("reg_param", "3"));
    String gone = KFoldSearch.Point.key("linear/squared", Map.of("reg_param", "42"));
    List<KFoldSearch.Point> points = search(spec, List.of(pastBest, gone, pastSecond)).points();
    assertThat(points).hasSize(3);
    assertThat(points.get(0).params().get(GridKey.REG_PARAM)).isEqualTo(9.0);
    assertThat(points.get(1).params().get(GridKey.REG_PARAM)).isEqualTo(3.0);
  }

  /**
   * One halving search of 6 points, with what it had reported at each checkpoint; run once for two
   * tests.
   */
  private record HalvingRun(ModelSpec spec, List<Trial> trials, List<List<Trial>> checkpoints) {}

  private static HalvingRun halving;

  private static synchronized HalvingRun halving() {
    if (halving == null) {
      ModelSpec spec =
          spec(
              "{folds: 2, search: halving, max_trials: 9}",
              "{reg_param: [0.0, 0.3, 1.0, 3.0, 9.0, 30.0]}");
      List<List<Trial>> checkpoints = new ArrayList<>();
      List<Trial> heard = new ArrayList<>();
      TuningListener listener =
          new TuningListener() {
            @Override
            public void trialFinished(Trial trial, int number, int total, Duration e, Duration r) {
              heard.add(trial);
            }

            @Override
            public void checkpoint(boolean last) {
              checkpoints.add(List.copyOf(heard));
            }
          };
      halving =
          new HalvingRun(
              spec, search(spec, List.of()).run(rows, 2, listener).trials(), checkpoints);
    }
    return halving;
  }

  @Test
  void halvingPrunesTheWorstAndFinishesTheBestOnAllRows() {
    List<Trial> trials = halving().trials();
    assertThat(trials).hasSize(6);
    assertThat(trials).extracting(Trial::trialId).containsExactly(1, 2, 3, 4, 5, 6);
    List<Trial> done = trials.stream().filter(Trial::done).toList();
    List<Trial> pruned =
        trials.stream().filter(t -> TrialStatus.PRUNED.equals(t.status())).toList();
    assertThat(done).hasSize(2);
    assertThat(pruned).hasSize(4);
    assertThat(reg(best(done))).isEqualTo(0.0);
    assertThat(pruned).noneMatch(t -> reg(t) == 0.0);
  }

  @Test
  void budgetStopsTheSearchAndKeepsWhatFinished() {
    ModelSpec spec =
        spec(
            "{folds: 2, budget: 1s}",
            "{reg_param: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]}");
    KFoldSearch.Outcome outcome = search(spec, List.of()).run(rows, 2, TuningListener.NONE);
    assertThat(outcome.budgetExhausted()).isTrue();
    assertThat(outcome.trials()).isNotEmpty().hasSizeLessThan(10).allMatch(Trial::done);
  }

  private static PastTrial recorded(Trial trial, String runId) {
    return new PastTrial(
        runId,
        trial.trialId(),
        KFoldSearch.Point.key(trial.candidate().label(), GridPoints.describe(trial.params())),
        trial.rung(),
        trial.foldValues(),
        trial.mean(),
        trial.std(),
        trial.seconds(),
        trial.status(),
        trial.error());
  }

  /**
   * The trials of a rerun of {@code spec} after a run (id killed-run) that was killed once it had
   * recorded {@code atKill}.
   */
  private static List<Trial> rerunAfterKill(ModelSpec spec, List<Trial> atKill) {
    List<PastTrial> killed = atKill.stream().map(t -> recorded(t, "killed-run")).toList();
    return new KFoldSearch(
            spec, FeaturePlan.of(List.of("x", "x2"), List.of()), false, List.of(), killed)
        .run(rows, 2, TuningListener.NONE)
        .trials();
  }

  private static Map<String, Double> meansByConfiguration(List<Trial> trials) {
    Map<String, Double> out = new TreeMap<>();
    trials.forEach(t -> out.put(GridPoints.describe(t.params()) + " " + t.status(), t.mean()));
    return out;
  }

  @Test
  void resumeSkipsFinishedTrialsAndEvaluatesTheOthers() {
    ModelSpec spec = spec("{folds: 2, metric: rmse}", "{reg_param: [0.0, 1.0, 3.0]}");
    KFoldSearch.Point heavy = search(spec, List.of()).points().get(2);
    KFoldSearch.Point light = search(spec, List.of()).points().get(0);
    // Recorded results no fit could give: if the search used them, it did not evaluate those points
    // again.
    List<PastTrial> killed =
        List.of(
            new PastTrial(
                "killed-run",
                1,
                heavy.key(),
                0,
                List.of(0.001, 0.003),
                0.002,
                0.001,
                4.0,
                TrialStatus.DONE,
                null),
            new PastTrial(
                "killed-run",
                2,
                light.key(),
                0,
                List.of(),
                Double.NaN,
                Double.NaN,
                1.0,
                TrialStatus.FAILED,
                "boom"));
    KFoldSearch resumed =
        new KFoldSearch(
            spec, FeaturePlan.of(List.of("x", "x2"), List.of()), false, List.of(), killed);
    List<Trial> trials = resumed.run(rows, 2, TuningListener.NONE).trials();
    assertThat(trials).hasSize(3).allMatch(Trial::done);
    Trial reused = trials.get(0);
    assertThat(reg(reused)).isEqualTo(3.0);
    assertThat(reused.mean()).isEqualTo(0.002);
    assertThat(reused.resumedFrom()).isEqualTo("killed-run");
    // A failed trial of the killed attempt is evaluated again.
    Trial retried = trials.stream().filter(t -> reg(t) == 0.0).findFirst().orElseThrow();
    assertThat(retried.resumedFrom()).isNull();
    assertThat(retried.mean()).isLessThan(0.2);
  }

  @Test
  void aResumedGridSearchEndsAsAnUninterruptedOne() {
    ModelSpec spec = spec("{folds: 2, metric: rmse}", "{reg_param: [3.0, 0.0, 1.0, 0.3]}");
    List<Trial> uninterrupted = search(spec, List.of()).run(rows, 2, TuningListener.NONE).trials();
    List<Trial> resumed = rerunAfterKill(spec, uninterrupted.subList(0, 2));
    assertThat(resumed.stream().filter(t -> t.resumedFrom() != null)).hasSize(2);
    assertThat(meansByConfiguration(resumed)).isEqualTo(meansByConfiguration(uninterrupted));
    assertThat(best(resumed).params()).isEqualTo(best(uninterrupted).params());
  }

  @Test
  void aResumedHalvingSearchSkipsTheRungsItFinished() {
    HalvingRun uninterrupted = halving();
    // Killed after the first rung's checkpoint: what it had recorded is the pruned trials of rung
    // 0.
    List<Trial> atKill = uninterrupted.checkpoints().get(0);
    assertThat(atKill)
        .isNotEmpty()
        .allMatch(t -> TrialStatus.PRUNED.equals(t.status()) && t.rung() == 0);
    List<Trial> resumed = rerunAfterKill(uninterrupted.spec(), atKill);
    assertThat(meansByConfiguration(resumed))
        .isEqualTo(meansByConfiguration(uninterrupted.trials()));
    assertThat(resumed.stream().filter(t -> t.rung() == 0))
        .isNotEmpty()
        .allMatch(t -> "killed-run".equals(t.resumedFrom()));
    assertThat(resumed.stream().filter(Trial::done))
        .isNotEmpty()
        .allMatch(t -> t.resumedFrom() == null);
  }

  @Test
  void boostedTreePointsThatDifferOnlyInTreesShareAFit() {
    ModelSpec spec =
        TestSpecs.parse(
            """
            name: groups_test
            task: regression
            data: {training: {table: t}, id: id, label: y}
            candidates:
              - {family: gbt, loss: squared, grid: {max_depth: [3, 5], num_trees: [20, 50]}}
              - {family: gbt, loss: quantile, quantile: 0.9, grid: {num_trees: [20, 50]}}
              - {family: linear, loss: squared, grid: {reg_param: [0.0, 1.0]}}
            """,
            "nightjar");
    List<List<KFoldSearch.Point>> groups =
        TrialEvaluator.groups(search(spec, List.of()).points(), TuningOptions.DEFAULTS);
    // Two depths of the plain booster: two fits; quantile is calibrated on its predictions, linear
    // has no trees.
    assertThat(groups).extracting(List::size).containsExactly(2, 2, 1, 1, 1, 1);
    assertThat(groups.get(0)).extracting(p -> p.params().get(GridKey.MAX_DEPTH)).containsOnly(3.0);
  }

  private static final String BAYES = "{folds: 2, search: bayes, max_trials: 6, seed: 5}";
  private static final String RANGE = "{reg_param: {min: 0.0, max: 3.0}}";

  @Test
  void randomDrawsFromARangeReproducibly() {
    ModelSpec spec = spec("{search: random, max_trials: 5, seed: 3}", RANGE);
    List<KFoldSearch.Point> points = search(spec, List.of()).points();
    assertThat(points).hasSize(5).doesNotHaveDuplicates();
    assertThat(points).allMatch(p -> p.params().get(GridKey.REG_PARAM) <= 3.0);
    assertThat(search(spec, List.of()).points()).isEqualTo(points);
  }

  @Test
  void bayesEvaluatesMaxTrialsAndARerunProposesTheSamePoints() {
    ModelSpec spec = spec(BAYES, RANGE);
    List<Trial> uninterrupted = search(spec, List.of()).run(rows, 2, TuningListener.NONE).trials();
    assertThat(uninterrupted).hasSize(6).allMatch(Trial::done);
    assertThat(uninterrupted.stream().map(t -> reg(t)).distinct()).hasSize(6);
    assertThat(uninterrupted).allMatch(t -> reg(t) >= 0.0 && reg(t) <= 3.0);
    // Killed after its first trials: the rerun reuses them and proposes the same next points.
    List<Trial> resumed = rerunAfterKill(spec, uninterrupted.subList(0, 3));
    assertThat(resumed.stream().map(t -> t.params()))
        .containsExactlyElementsOf(uninterrupted.stream().map(t -> t.params()).toList());
    assertThat(resumed.subList(0, 3)).allMatch(t -> "killed-run".equals(t.resumedFrom()));
    assertThat(resumed.subList(3, 6)).allMatch(t -> t.resumedFrom() == null);
  }

  @Test
  void bayesWithWarmStartLearnsFromPastNights() {
    ModelSpec spec =
        spec("{folds: 2, search: bayes, max_trials: 2, seed: 5, warm_start: true}", RANGE);
    LocalDate today = LocalDate.parse("2024-03-10");
    List<HistoricTrial> history = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      double reg = 3.0 * i / 15;
      Map<String, String> params = GridPoints.describe(Map.of(GridKey.REG_PARAM, reg));
      // Past nights found that the less shrinkage, the better (as it is on these rows).
      history.add(
          new HistoricTrial(
              today.minusDays(1 + i % 3),
              KFoldSearch.Point.key("linear/squared", params),
              params,
              0.1 + reg,
              1.0));
    }
    // A trial on a candidate the spec no longer has is left out rather than failing the search.
    history.add(
        new HistoricTrial(
            today.minusDays(1),
            "gbt[mllib]/squared {max_depth=3}",
            Map.of("max_depth", "3"),
            0.01,
            1.0));
    List<Trial> warm =
        new KFoldSearch(
                spec,
                FeaturePlan.of(List.of("x", "x2"), List.of()),
                false,
                List.of(),
                List.of(),
                history,
                today)
            .run(rows, 2, TuningListener.NONE)
            .trials();
    assertThat(warm).hasSize(2).allMatch(t -> reg(t) < 1.5);
  }

  @Test
  void theBudgetKeepsTimeForTheRefitAndDoesNotStartWhatCannotFinish() {
    ModelSpec spec = spec("{folds: 2, search: bayes, max_trials: 40, seed: 5, budget: 3s}", RANGE);
    long started = System.nanoTime();
    KFoldSearch.Outcome outcome = search(spec, List.of()).run(rows, 2, TuningListener.NONE);
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(outcome.budgetExhausted()).isTrue();
    assertThat(outcome.trials()).isNotEmpty().hasSizeLessThan(40);
    // It stops before an evaluation it predicts would leave too little for the refit: it ends
    // within the budget, give or take one evaluation's misprediction.
    double longest = outcome.trials().stream().mapToDouble(Trial::seconds).max().orElseThrow();
    assertThat(seconds).isLessThan(3.0 + longest);
  }
}
