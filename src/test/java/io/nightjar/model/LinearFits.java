package io.nightjar.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.when;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The linear family's regression losses fitted on two features, x1 and x2, whose true coefficients
 * the tests know.
 */
final class LinearFits {
  private LinearFits() {}

  /** The candidate {@code {family: linear, loss: LOSS}}; {@code loss} may add keys. */
  static CandidateSpec candidate(String loss) {
    return TestSpecs.oneCandidate(
            "linear_test", "regression", "{family: linear, loss: " + loss + "}")
        .candidates()
        .get(0);
  }

  /**
   * The family's pipeline for {@code loss} on x1 and x2 with {@code reg_param} {@code regParam},
   * fitted on {@code rows}.
   */
  static PipelineModel fit(Dataset<Row> rows, String loss, double regParam, boolean weighted) {
    LinearFamily family = new LinearFamily();
    List<PipelineStage> stages =
        new ArrayList<>(family.preparation(FeaturePlan.of(List.of("x1", "x2"), List.of())));
    stages.add(
        family.estimator(
            Task.REGRESSION, candidate(loss), Map.of(GridKey.REG_PARAM, regParam), weighted));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rows);
  }

  /** [intercept, x1, x2] of the pipeline's linear model. */
  static double[] coefficients(PipelineModel model) {
    LinearRegressionModel linear =
        (LinearRegressionModel) model.stages()[model.stages().length - 1];
    double[] c = linear.coefficients().toArray();
    return new double[] {linear.intercept(), c[0], c[1]};
  }

  /**
   * {@code n} rows in two partitions: x1 and x2 uniform on [0, 1) (seeds {@code seed} and {@code
   * seed + 1}) and the label {@code label}, whose noise takes seed {@code seed + 2}.
   */
  static Dataset<Row> rows(long n, long seed, Column label) {
    return TestSpark.session()
        .range(0, n, 1, 2)
        .withColumn("x1", rand(seed))
        .withColumn("x2", rand(seed + 1))
        .withColumn(Columns.LABEL, label);
  }

  /** y = 2 + 3 x1 − 1.5 x2 + small noise (sd 0.05). */
  static Dataset<Row> line(long n, long seed) {
    return rows(
        n,
        seed,
        lit(2.0)
            .plus(col("x1").multiply(3))
            .minus(col("x2").multiply(1.5))
            .plus(randn(seed + 2).multiply(0.05)));
  }

  /**
   * 400 rows of {@link #line} with 5% of the labels far off in one direction (50 too high): the
   * squared-loss intercept follows them, a robust loss's does not.
   */
  static Dataset<Row> lineWithOutliers() {
    Dataset<Row> clean = line(400, 7);
    return clean.withColumn(
        Columns.LABEL,
        when(col("id").mod(20).equalTo(0), col(Columns.LABEL).plus(50.0))
            .otherwise(col(Columns.LABEL)));
  }
}
