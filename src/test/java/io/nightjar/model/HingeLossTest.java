package io.nightjar.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hinge loss on both families: the margin classifier's classes, and probabilities calibrated on
 * held-out rows.
 */
class HingeLossTest {
  static Dataset<Row> separable;

  /**
   * Label 1 where x1 > 0.5; x1 takes 20 values (0.025, 0.075, …), so the classes are separable with
   * a gap, by a line and by a tree split alike. Each value occurs about 75 times, so every row has
   * twins among the rows the margin classifier is fitted on (the rest calibrate): accuracy on all
   * rows is accuracy on training rows. (With continuous x1, a tree's split sits at a training
   * value, and an unseen row at the gap's edge can fall on the wrong side.)
   */
  @BeforeAll
  static void data() {
    separable =
        TestSpark.session()
            .range(0, 1500, 1, 2)
            .withColumn("x1", floor(rand(31).multiply(20)).divide(20).plus(0.025))
            .withColumn("x2", rand(32))
            .withColumn(Columns.LABEL, when(col("x1").gt(0.5), 1.0).otherwise(0.0))
            .cache();
  }

  private static ModelSpec spec(String candidate) {
    return TestSpecs.oneCandidate("hinge_test", "classification", candidate);
  }

  private static PipelineModel fit(String candidate, Map<GridKey, Double> params) {
    CandidateSpec hinge = spec(candidate).candidates().get(0);
    ModelFamily family = ModelFamilies.of(hinge);
    List<PipelineStage> stages =
        new ArrayList<>(family.preparation(FeaturePlan.of(List.of("x1", "x2"), List.of())));
    stages.add(family.estimator(Task.CLASSIFICATION, hinge, params, false));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(separable);
  }

  private static String candidate(String family) {
    return family.equals("linear") ? "{family: linear, loss: hinge}" : "{family: gbt, loss: hinge}";
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "xgboost"})
  void separableDataIsClassifiedWithoutErrorAndProbabilitiesRiseWithTheMargin(String family) {
    PipelineModel model = fit(candidate(family), Map.of(GridKey.NUM_TREES, 30.0));
    Dataset<Row> scored =
        Predictions.predict(model, Task.CLASSIFICATION, separable)
            .withColumn(
                "margin",
                functions.vector_to_array(col(HingeCalibration.MARGIN), "float64").getItem(0));
    assertThat(scored.where(col(Columns.PREDICTION).notEqual(col(Columns.LABEL))).count()).isZero();
    List<Row> byMargin =
        scored.select("margin", Columns.PROBABILITY).orderBy("margin").collectAsList();
    double previous = 0.0;
    for (Row row : byMargin) {
      double probability = row.getDouble(1);
      assertThat(probability).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(previous - 1e-12);
      previous = probability;
    }
    // Calibrated, not constant: on separable data the calibrator is confident on both sides.
    assertThat(byMargin.get(0).getDouble(1)).isLessThan(0.1);
    assertThat(byMargin.get(byMargin.size() - 1).getDouble(1)).isGreaterThan(0.9);
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "xgboost"})
  void savedPipelinePredictsExactlyTheSame(String family, @TempDir Path dir) throws Exception {
    PipelineModel model =
        fit(candidate(family), Map.of(GridKey.NUM_TREES, 20.0, GridKey.REG_PARAM, 0.01));
    TestPipelines.assertPredictsTheSameWhenLoaded(
        model, Task.CLASSIFICATION, separable, dir, Columns.PREDICTION, Columns.PROBABILITY);
  }

  @Test
  void hingeCombinationsThatCannotBeFittedAreConfigErrors() {
    assertThatThrownBy(
            () ->
                ModelFamilies.check(
                    spec("{family: linear, loss: hinge, grid: {elastic_net: [0.0, 0.5]}}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value for 'candidates[0].grid.elastic_net': loss hinge supports only elastic_net 0 (L2"
                + " regularisation, as Spark's LinearSVC has no L1 penalty).");
    assertThatThrownBy(() -> ModelFamilies.check(spec("{family: gbt, engine: mllib, loss: hinge}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value for 'candidates[0].loss': family gbt with engine mllib supports only logistic for"
                + " classification (Spark's GBTClassifier); use engine xgboost or family linear for hinge.");
  }
}
