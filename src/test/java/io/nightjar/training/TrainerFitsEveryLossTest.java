package io.nightjar.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.Task;
import io.nightjar.data.DemoData;
import io.nightjar.data.TrainingFrame;
import io.nightjar.families.ModelFamilies;
import io.nightjar.model.Predictions;
import io.nightjar.tuning.TuningListener;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every loss × family added for the spec's losses (docs/losses.md) as a spec: checked,
 * cross-validated on the spec's metric, refitted, measured on the holdout, saved, loaded and used
 * to score entities with the demo's features (numeric and categorical).
 */
class TrainerFitsEveryLossTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 1);

  private static ModelSpec spec(String task, String candidate, String metric) {
    return TestSpecs.oneCandidateOnDemoData("new_losses", task, candidate, metric, 3);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "regression; {family: linear, loss: quantile, quantile: 0.9, grid: {reg_param: [0.01]}}; pinball",
        "regression; {family: linear, loss: absolute}; mae",
        "regression; {family: gbt, loss: quantile, quantile: 0.1, grid: {num_trees: [30]}}; pinball",
        "classification; {family: linear, loss: hinge, grid: {reg_param: [1.0]}}; logloss",
        "classification; {family: gbt, loss: hinge, grid: {num_trees: [30], max_depth: [3]}}; accuracy"
      })
  void specTrainsAndScores(String task, String candidate, String metric, @TempDir Path dir)
      throws Exception {
    ModelSpec spec = spec(task, candidate, metric);
    ModelFamilies.check(spec);
    boolean regression = task.equals("regression");
    Dataset<Row> rows =
        regression
            ? DemoData.regression(TestSpark.session(), 0, 500, 8, DAY)
            : DemoData.classification(TestSpark.session(), 0, 500, 9, DAY);
    TrainingResult result =
        new Trainer(spec).train(TrainingFrame.prepare(spec, rows), List.of(), TuningListener.NONE);
    Metric tuning = spec.tuning().metric();
    assertThat(result.best().done()).isTrue();
    assertThat(result.holdoutMetrics()).containsKey(tuning);
    if (spec.candidates().get(0).quantile() != null) {
      assertThat(result.holdoutMetrics()).containsKey(Metric.PINBALL);
      // The label's spread is about 5 and the noise sd 1: a fit that learned the signal has a
      // pinball loss near 0.2.
      assertThat(result.holdoutMetrics().get(Metric.PINBALL)).isPositive().isLessThan(1.0);
    }
    if (!regression) {
      assertThat(result.holdoutMetrics().get(Metric.AUC)).isGreaterThan(0.7);
    }

    String path = dir.resolve("pipeline").toString();
    result.model().write().save(path);
    Dataset<Row> entities = DemoData.entities(TestSpark.session(), 0, 40, 10);
    Task kind = spec.task();
    List<Row> before =
        Predictions.predict(result.model(), kind, entities)
            .select("id", "prediction")
            .collectAsList();
    Dataset<Row> scored = Predictions.predict(PipelineModel.load(path), kind, entities);
    assertThat(scored.select("id", "prediction").collectAsList()).isEqualTo(before);
    assertThat(scored.where("prediction IS NULL OR isnan(prediction)").count()).isZero();
    if (!regression) {
      assertThat(
              scored.where("prediction NOT IN (0, 1) OR NOT (probability BETWEEN 0 AND 1)").count())
          .isZero();
    }
  }
}
