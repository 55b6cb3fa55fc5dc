package io.nightjar.xgboost;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.sin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestPipelines;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.CandidateSpec;
import io.nightjar.config.ConfigException;
import io.nightjar.config.GridKey;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.families.ModelFamilies;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.ModelFamily;
import io.nightjar.model.Predictions;
import io.nightjar.model.estimators.PredictionOffset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quantile trees on XGBoost: coverage of new rows, on a non-linear signal with noise that grows
 * with x3 (so the quantiles are not the mean plus a constant).
 */
class XGBoostQuantileTest {
  /**
   * Coverage is measured on this many new rows. With 5000, the same model covered 0.481, 0.499 and
   * 0.495 of three holdouts at tau 0.5: that much of the spread was the holdout, not the model.
   */
  static final long HOLDOUT = 20_000;

  static Dataset<Row> training;
  static Dataset<Row> holdout;

  @BeforeAll
  static void data() {
    training = rows(3000, 1).cache();
    holdout = rows(HOLDOUT, 101).cache();
  }

  private static Dataset<Row> rows(long n, long seed) {
    return TestSpark.session()
        .range(0, n, 1, 2)
        .withColumn("x1", rand(seed))
        .withColumn("x2", rand(seed + 1))
        .withColumn("x3", rand(seed + 2))
        .withColumn(
            Columns.LABEL,
            sin(col("x1").multiply(3))
                .multiply(4)
                .plus(col("x2").multiply(2))
                .plus(randn(seed + 3).multiply(lit(0.5).plus(col("x3").multiply(1.5)))));
  }

  private static ModelSpec spec(String candidate) {
    return TestSpecs.oneCandidate("xgboost_quantile_test", "regression", candidate);
  }

  private static PipelineModel fit(double tau) {
    CandidateSpec candidate =
        spec("{family: gbt, loss: quantile, quantile: " + tau + "}").candidates().get(0);
    ModelFamily family = ModelFamilies.of(candidate);
    List<PipelineStage> stages =
        new ArrayList<>(family.preparation(FeaturePlan.of(List.of("x1", "x2", "x3"), List.of())));
    Map<GridKey, Double> params =
        Map.of(GridKey.NUM_TREES, 100.0, GridKey.MAX_DEPTH, 4.0, GridKey.LEARNING_RATE, 0.1);
    stages.add(family.estimator(Task.REGRESSION, candidate, params, false));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(training);
  }

  private static double coverage(Transformer model, Dataset<Row> rows) {
    Dataset<Row> scored = Predictions.predict(model, Task.REGRESSION, rows);
    return scored.where(col(Columns.LABEL).leq(col(Columns.PREDICTION))).count()
        / (double) rows.count();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5, 0.9})
  void holdoutCoverageIsTau(double tau) {
    PipelineModel model = fit(tau);
    PipelineModel calibrated = (PipelineModel) model.stages()[model.stages().length - 1];
    double offset = ((PredictionOffset) calibrated.stages()[1]).getOffset();
    double coverage = coverage(model, holdout);
    System.out.printf(
        "xgboost quantile tau=%.1f offset=%.4f training coverage=%.4f holdout coverage=%.4f%n",
        tau, offset, coverage(model, training), coverage);
    assertThat(coverage).isCloseTo(tau, within(0.02));
  }

  @Test
  void savedPipelinePredictsExactlyTheSame(@TempDir Path dir) throws Exception {
    PipelineModel model = fit(0.8);
    TestPipelines.assertPredictsTheSameWhenLoaded(
        model, Task.REGRESSION, holdout, dir, Columns.PREDICTION);
  }

  @Test
  void mllibRefusesQuantileAndHuberAndNamesAnEngineThatHasThem() {
    assertThatThrownBy(
            () ->
                ModelFamilies.check(
                    spec("{family: gbt, engine: mllib, loss: quantile, quantile: 0.9}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value for 'candidates[0].loss': family gbt with engine mllib supports squared, absolute and"
                + " logistic, not 'quantile'; use engine xgboost, which supports quantile.");
  }
}
