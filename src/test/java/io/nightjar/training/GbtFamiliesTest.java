package io.nightjar.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestPipelines;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.ConfigException;
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
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient-boosted trees on both engines, on Friedman #1 data whose best RMSE (the noise) is known
 * to be 1.
 */
class GbtFamiliesTest {
  static SparkSession spark;
  static Dataset<Row> regression;
  static Dataset<Row> classification;

  @BeforeAll
  static void data() {
    spark = TestSpark.session();
    LocalDate day = LocalDate.of(2024, 3, 1);
    regression = DemoData.regression(spark, 0, 3000, 21, day).cache();
    classification = DemoData.classification(spark, 0, 3000, 22, day).cache();
  }

  private static ModelSpec spec(String task, String candidate, String metric) {
    return TestSpecs.oneCandidateOnDemoData("gbt_test", task, candidate, metric, 5);
  }

  private static TrainingResult train(ModelSpec spec, Dataset<Row> rows) {
    ModelFamilies.check(spec);
    return new Trainer(spec)
        .train(TrainingFrame.prepare(spec, rows), List.of(), TuningListener.NONE);
  }

  @Test
  void xgboostSquaredLearnsTheNonLinearSignalThatLinearCannot() {
    TrainingResult gbt =
        train(
            spec(
                "regression",
                "{family: gbt, loss: squared, grid: {num_trees: [150], max_depth: [3], learning_rate: [0.1]}}",
                "rmse"),
            regression);
    TrainingResult linear =
        train(spec("regression", "{family: linear, loss: squared}", "rmse"), regression);
    double gbtRmse = gbt.holdoutMetrics().get(Metric.RMSE);
    assertThat(gbtRmse)
        .isLessThan(0.75 * linear.holdoutMetrics().get(Metric.RMSE))
        .isGreaterThan(0.9);
    assertThat(gbt.best().candidate().label()).isEqualTo("gbt[xgboost]/squared");
  }

  @Test
  void xgboostLogisticGivesProbabilitiesThatRankWell() {
    TrainingResult result =
        train(
            spec(
                "classification",
                "{family: gbt, loss: logistic, grid: {num_trees: [60], max_depth: [3]}}",
                "logloss"),
            classification);
    assertThat(result.holdoutMetrics().get(Metric.AUC)).isGreaterThan(0.75);
    Dataset<Row> scored = Predictions.predict(result.model(), Task.CLASSIFICATION, classification);
    Row range = scored.agg(min("probability"), max("probability")).first();
    assertThat(range.getDouble(0)).isGreaterThanOrEqualTo(0.0);
    assertThat(range.getDouble(1)).isLessThanOrEqualTo(1.0);
  }

  @Test
  void mllibAbsoluteTrainsAndImputesMissingValues() {
    TrainingResult result =
        train(
            spec(
                "regression",
                "{family: gbt, engine: mllib, loss: absolute, grid: {num_trees: [20], max_depth: [3]}}",
                "mae"),
            regression);
    assertThat(result.holdoutMetrics().get(Metric.MAE)).isLessThan(3.0);
    Dataset<Row> holes = regression.limit(20).withColumn("x1", lit(null).cast("double"));
    assertThat(
            Predictions.predict(result.model(), Task.REGRESSION, holes)
                .where("isnan(prediction)")
                .count())
        .isZero();
  }

  @Test
  void missingValuesAndUnseenLevelsScoreWithoutFailing(@TempDir Path dir) throws Exception {
    TrainingResult result =
        train(
            spec(
                "regression",
                "{family: gbt, loss: huber, grid: {num_trees: [20], epsilon: [2.0]}}",
                "rmse"),
            regression);
    Dataset<Row> odd =
        regression
            .limit(30)
            .withColumn("x2", when(col("id").mod(2).equalTo(0), lit(null)).otherwise(col("x2")))
            .withColumn("segment", lit("never-seen"));
    List<Row> before =
        TestPipelines.assertPredictsTheSameWhenLoaded(
            result.model(), Task.REGRESSION, odd, dir, "prediction");
    assertThat(before).hasSize(30).allMatch(r -> Double.isFinite(r.getDouble(1)));
  }

  @Test
  void xgboostPredictsRowsWithMostlyZeroFeaturesCorrectly() {
    // 80% of the feature values are 0, so VectorAssembler writes most rows sparse (see
    // DenseFeatures).
    List<Column> columns = new ArrayList<>();
    columns.add(col("id"));
    Column label = lit(0.0);
    for (int i = 1; i <= 10; i++) {
      Column x = when(rand(100 + i).lt(0.8), 0.0).otherwise(rand(200 + i));
      columns.add(x.as("x" + i));
    }
    Dataset<Row> base = spark.range(0, 3000, 1, 2).select(columns.toArray(Column[]::new));
    for (int i = 1; i <= 10; i++) {
      label = label.plus(col("x" + i).multiply(i));
    }
    Dataset<Row> sparse =
        base.withColumn("label", label)
            .withColumn("segment", lit("a"))
            .withColumn(
                "event_time",
                org.apache
                    .spark
                    .sql
                    .functions
                    .rand(9)
                    .multiply(1e6)
                    .cast("long")
                    .cast("timestamp"));
    TrainingResult result =
        train(
            spec(
                "regression",
                "{family: gbt, loss: squared, grid: {num_trees: [100], max_depth: [4]}}",
                "rmse"),
            sparse);
    // The label's standard deviation is about 5; a model that mixes up sparse rows scores worse
    // than that.
    assertThat(result.holdoutMetrics().get(Metric.RMSE)).isLessThan(1.0);
  }

  @Test
  void lossesAnEngineLacksAreConfigErrors() {
    assertThatThrownBy(
            () ->
                ModelFamilies.check(
                    spec(
                        "classification", "{family: gbt, engine: mllib, loss: hinge}", "accuracy")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value for 'candidates[0].loss': family gbt with engine mllib supports only logistic for"
                + " classification (Spark's GBTClassifier); use engine xgboost or family linear for hinge.");
    assertThatThrownBy(
            () ->
                ModelFamilies.check(
                    spec("regression", "{family: gbt, engine: mllib, loss: huber}", "rmse")))
        .hasMessage(
            "Invalid value for 'candidates[0].loss': family gbt with engine mllib supports squared, absolute and"
                + " logistic, not 'huber'; use engine xgboost, which supports huber.");
  }
}
