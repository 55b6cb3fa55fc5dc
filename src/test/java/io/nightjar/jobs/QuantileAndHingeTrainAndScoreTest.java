package io.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.Choices;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.data.DemoData;
import io.nightjar.registry.ModelVersion;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The newer losses (docs/losses.md) through the train and score jobs: a spec trains, registers its
 * loss and quantile, and scores entities from the saved artifact. One quantile and one hinge spec
 * (a train job costs about 20 s here); every loss × family goes through the trainer in {@code
 * io.nightjar.training.TrainerFitsEveryLossTest}.
 */
class QuantileAndHingeTrainAndScoreTest {
  private static final String DB = "new_losses_test";
  private static final LocalDate DAY = LocalDate.of(2024, 5, 1);
  private static final long ENTITIES = 30;

  @TempDir static Path dir;
  static JobContext context;

  @BeforeAll
  static void writeTables() {
    context = TestSpark.contextWithDatabase(dir, DB);
    write("sales", DemoData.regression(context.spark(), 0, 600, 5, DAY));
    write("clicks", DemoData.classification(context.spark(), 0, 600, 6, DAY));
    write("entities", DemoData.entities(context.spark(), 0, ENTITIES, 7));
  }

  private static void write(String name, Dataset<Row> rows) {
    TableName table = new TableName(DB, name);
    rows.write().format("delta").mode("overwrite").save(context.warehouse().location(table));
    context.warehouse().register(table);
  }

  private static ModelSpec spec(
      String name, String task, String table, String candidate, String metric) {
    return TestSpecs.parse(
        """
        name: %s
        task: %s
        data: {training: {table: %s.%s}, id: id, label: label, categorical: [segment], time: event_time}
        candidates:
          - %s
        tuning: {folds: 2, metric: %s, holdout: 0.2, seed: 3}
        scoring: {input: {table: %s.entities}, output: predictions_%s}
        """
            .formatted(name, task, DB, table, candidate, metric, DB, name),
        DB);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "linear_quantile; regression; {family: linear, loss: quantile, quantile: 0.9}; pinball",
        "xgboost_hinge; classification; {family: gbt, loss: hinge, grid: {num_trees: [30]}}; accuracy"
      })
  void trainsRegistersAndScores(String name, String task, String candidate, String metric) {
    boolean regression = task.equals("regression");
    ModelSpec spec = spec(name, task, regression ? "sales" : "clicks", candidate, metric);
    TrainJob.Outcome trained = new TrainJob(context).run(spec, DAY);
    ModelVersion version = trained.version();
    assertThat(version.recipe().loss()).isEqualTo(spec.candidates().get(0).loss());
    assertThat(version.recipe().quantile()).isEqualTo(spec.candidates().get(0).quantile());
    assertThat(Choices.name(version.evaluation().cvMetric())).isEqualTo(metric);
    Map<String, Double> holdout = version.evaluation().holdoutMetrics();
    assertThat(holdout).containsKey(metric);
    if (regression) {
      assertThat(holdout).containsKeys("rmse", "mae", "r2", "pinball");
    } else {
      assertThat(holdout.get("auc")).as("holdout auc").isGreaterThan(0.7);
    }

    ScoreJob.Outcome scored = new ScoreJob(context).run(name, null, DAY);
    assertThat(scored.rows()).isEqualTo(ENTITIES);
    Dataset<Row> predictions = context.spark().table(DB + ".predictions_" + name);
    assertThat(predictions.where("prediction IS NULL OR isnan(prediction)").count()).isZero();
    if (!regression) {
      assertThat(predictions.where("prediction NOT IN (0, 1)").count()).isZero();
      assertThat(predictions.where("NOT (probability BETWEEN 0 AND 1)").count()).isZero();
    }
  }
}
