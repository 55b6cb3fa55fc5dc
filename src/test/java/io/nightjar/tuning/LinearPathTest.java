package io.nightjar.tuning;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestFolds;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.GridKey;
import io.nightjar.config.ModelSpec;
import io.nightjar.data.Columns;
import io.nightjar.data.DemoData;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.LinearFamily;
import io.nightjar.model.TuningOptions;
import io.nightjar.registry.TrialStatus;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Logistic candidates follow the regularisation path: each {@code reg_param} starts from the model
 * of the next larger one, which takes fewer iterations and ends where a fit from scratch ends.
 */
class LinearPathTest {
  private static final LocalDate DAY = LocalDate.of(2024, 1, 1);
  private static final List<String> FEATURES =
      List.of("x1", "x2", "x3", "x4", "x5", "x6", "segment");

  @Test
  void aFitStartedFromTheNeighbouringPenaltysModelNeedsFewerIterationsAndEndsAtTheSameModel() {
    Column[] x = new Column[8];
    Column[] named = new Column[8];
    for (int j = 0; j < x.length; j++) {
      x[j] = col("x" + j);
      named[j] = randn(10 + j).as("x" + j);
    }
    Column probability = lit(1.0).divide(lit(1.0).plus(exp(x[0].multiply(-2.0).plus(x[1]))));
    Dataset<Row> rows =
        TestSpark.session()
            .range(0, 4_000, 1, 2)
            .select(named)
            .withColumn(Columns.LABEL, when(rand(3).lt(probability), 1.0).otherwise(0.0))
            .select(array_to_vector(array(x)).as(Columns.FEATURES), col(Columns.LABEL))
            .cache();
    try {
      LinearFamily family = new LinearFamily();
      var candidate = spec("[0.1, 0.01]").candidates().get(0);
      var strong =
          (LogisticRegression)
              family.estimator(
                  spec("[0.1]").task(), candidate, Map.of(GridKey.REG_PARAM, 0.1), false);
      LogisticRegressionModel start = strong.fit(rows);
      var cold =
          (LogisticRegression)
              family.estimator(
                  spec("[0.01]").task(), candidate, Map.of(GridKey.REG_PARAM, 0.01), false);
      var warm =
          (LogisticRegression)
              family.estimator(
                  spec("[0.01]").task(), candidate, Map.of(GridKey.REG_PARAM, 0.01), false);
      family.startFrom(warm, start);
      LogisticRegressionModel fromScratch = cold.fit(rows);
      LogisticRegressionModel warmStarted = warm.fit(rows);
      assertThat(warmStarted.summary().totalIterations())
          .isLessThan(fromScratch.summary().totalIterations());
      double[] a = warmStarted.coefficients().toArray();
      double[] b = fromScratch.coefficients().toArray();
      for (int j = 0; j < a.length; j++) {
        assertThat(a[j]).as("coefficient %d", j).isCloseTo(b[j], within(1e-3));
      }
      assertThat(warmStarted.intercept()).isCloseTo(fromScratch.intercept(), within(1e-3));
    } finally {
      rows.unpersist();
    }
  }

  @Test
  void theSearchAlongThePathGivesTheFoldMetricsOfFitsFromScratch() {
    Dataset<Row> rows =
        TestFolds.twoFolds(
            DemoData.classification(TestSpark.session(), 0, 2_000, 6, DAY)
                .withColumnRenamed("label", Columns.LABEL));
    ModelSpec spec = spec("[0.0, 0.3, 0.03, 0.003]");
    try {
      List<Trial> path = search(spec, rows, true);
      List<Trial> cold = search(spec, rows, false);
      assertThat(path)
          .extracting(t -> t.params().get(GridKey.REG_PARAM))
          .containsExactly(0.0, 0.3, 0.03, 0.003);
      for (int i = 0; i < path.size(); i++) {
        assertThat(path.get(i).status()).isEqualTo(TrialStatus.DONE);
        assertThat(path.get(i).mean())
            .as("%s", path.get(i).params())
            .isCloseTo(cold.get(i).mean(), within(1e-4 * cold.get(i).mean()));
      }
    } finally {
      rows.unpersist();
    }
  }

  private static List<Trial> search(ModelSpec spec, Dataset<Row> rows, boolean path) {
    System.setProperty(TuningOptions.REGULARISATION_PATH, String.valueOf(path));
    try {
      return new KFoldSearch(spec, FeaturePlan.of(FEATURES, List.of("segment")), false, List.of())
          .run(rows, 2, (trial, n, total, elapsed, remaining) -> {})
          .trials();
    } finally {
      System.clearProperty(TuningOptions.REGULARISATION_PATH);
    }
  }

  private static ModelSpec spec(String regParams) {
    return TestSpecs.parse(
        """
        name: path_test
        task: classification
        data: {training: {table: t}, id: id, label: label, categorical: [segment]}
        candidates:
          - {family: linear, loss: logistic, grid: {reg_param: %s, elastic_net: [0.0]}}
        tuning: {folds: 2, metric: logloss, seed: 3}
        """
            .formatted(regParams),
        "nightjar");
  }
}
