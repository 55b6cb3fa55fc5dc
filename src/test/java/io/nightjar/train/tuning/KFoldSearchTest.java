package io.nightjar.train.tuning;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.GridKey;
import io.nightjar.config.ModelSpec;
import io.nightjar.data.Columns;
import io.nightjar.train.FeaturePlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The searches on data built so that the best configuration is known: y = 3 x + noise, where less shrinkage wins. */
class KFoldSearchTest {
  static Dataset<Row> rows;

  @BeforeAll
  static void data() {
    Dataset<Row> base = TestSpark.session().range(0, 600, 1, 2).withColumn("x", rand(5)).withColumn("x2", rand(6));
    rows =
        Splits.of(
                base.withColumn(Columns.LABEL, col("x").multiply(3).plus(randn(7).multiply(0.1))),
                "id",
                null,
                0.2,
                2,
                11L)
            .tuning()
            .cache();
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
    return trials.stream().filter(Trial::done).min(Comparator.comparingDouble(Trial::mean)).orElseThrow();
  }

  @Test
  void gridEvaluatesEveryPointAndFindsTheKnownBest() {
    ModelSpec spec = spec("{folds: 2, metric: rmse}", "{reg_param: [3.0, 0.0, 1.0]}");
    List<Trial> heard = new ArrayList<>();
    KFoldSearch.Outcome outcome = search(spec, List.of()).run(rows, 2, (t, n, total, e, r) -> heard.add(t));
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
    ModelSpec spec = spec("{search: random, max_trials: 3, seed: 3}", "{reg_param: [0.0, 0.1, 1.0, 3.0, 9.0]}");
    String pastBest = KFoldSearch.Point.key("linear/squared", Map.of("reg_param", "9"));
    String pastSecond = KFoldSearch.Point.key("linear/squared", Map.of("reg_param", "3"));
    String gone = KFoldSearch.Point.key("linear/squared", Map.of("reg_param", "42"));
    List<KFoldSearch.Point> points = search(spec, List.of(pastBest, gone, pastSecond)).points();
    assertThat(points).hasSize(3);
    assertThat(points.get(0).params().get(GridKey.REG_PARAM)).isEqualTo(9.0);
    assertThat(points.get(1).params().get(GridKey.REG_PARAM)).isEqualTo(3.0);
  }

  @Test
  void halvingPrunesTheWorstAndFinishesTheBestOnAllRows() {
    ModelSpec spec =
        spec("{folds: 2, search: halving, max_trials: 9}", "{reg_param: [0.0, 0.3, 1.0, 3.0, 9.0, 30.0]}");
    KFoldSearch.Outcome outcome = search(spec, List.of()).run(rows, 2, TuningListener.NONE);
    assertThat(outcome.trials()).hasSize(6);
    assertThat(outcome.trials()).extracting(Trial::trialId).containsExactly(1, 2, 3, 4, 5, 6);
    List<Trial> done = outcome.trials().stream().filter(Trial::done).toList();
    List<Trial> pruned = outcome.trials().stream().filter(t -> Trial.PRUNED.equals(t.status())).toList();
    assertThat(done).hasSize(2);
    assertThat(pruned).hasSize(4);
    assertThat(reg(best(done))).isEqualTo(0.0);
    assertThat(pruned).noneMatch(t -> reg(t) == 0.0);
  }

  @Test
  void budgetStopsTheSearchAndKeepsWhatFinished() {
    ModelSpec spec =
        spec("{folds: 2, budget: 1s}", "{reg_param: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]}");
    KFoldSearch.Outcome outcome = search(spec, List.of()).run(rows, 2, TuningListener.NONE);
    assertThat(outcome.budgetExhausted()).isTrue();
    assertThat(outcome.trials()).isNotEmpty().hasSizeLessThan(10).allMatch(Trial::done);
  }
}
