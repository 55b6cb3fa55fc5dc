package io.nightjar.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Linear losses on data whose true coefficients are known: y = 2 + 3 x1 - 1.5 x2 + small noise. */
class LinearFamilyTest {
  private static CandidateSpec candidate(String loss) {
    return TestSpecs.parse(
            """
            name: linear_test
            task: regression
            data: {training: {table: t}, id: id, label: y}
            candidates: [{family: linear, loss: %s}]
            """
                .formatted(loss),
            "nightjar")
        .candidates()
        .get(0);
  }

  private static double[] coefficients(Dataset<Row> rows, String loss, boolean weighted) {
    LinearFamily family = new LinearFamily();
    CandidateSpec candidate = candidate(loss);
    List<PipelineStage> stages =
        new ArrayList<>(family.preparation(FeaturePlan.of(List.of("x1", "x2"), List.of())));
    stages.add(
        family.estimator(Task.REGRESSION, candidate, Map.of(GridKey.REG_PARAM, 0.0), weighted));
    PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rows);
    LinearRegressionModel linear =
        (LinearRegressionModel) model.stages()[model.stages().length - 1];
    double[] c = linear.coefficients().toArray();
    return new double[] {linear.intercept(), c[0], c[1]};
  }

  private static Dataset<Row> data(long rows, long seed) {
    return TestSpark.session()
        .range(0, rows, 1, 2)
        .withColumn("x1", rand(seed))
        .withColumn("x2", rand(seed + 1))
        .withColumn(
            Columns.LABEL,
            lit(2.0)
                .plus(col("x1").multiply(3))
                .minus(col("x2").multiply(1.5))
                .plus(randn(seed + 2).multiply(0.05)));
  }

  @Test
  void weightedSquaredLossEqualsTheFitOnRowsRepeatedByWeight() {
    Dataset<Row> base =
        data(300, 3)
            .withColumn(Columns.WEIGHT, when(col("id").mod(3).equalTo(0), 3.0).otherwise(1.0));
    Dataset<Row> repeated =
        base.withColumn("copy", explode(sequence(lit(1), col(Columns.WEIGHT).cast("int"))))
            .drop("copy")
            .withColumn(Columns.WEIGHT, lit(1.0));
    double[] weighted = coefficients(base, "squared", true);
    double[] duplicated = coefficients(repeated, "squared", false);
    for (int i = 0; i < 3; i++) {
      assertThat(weighted[i]).isCloseTo(duplicated[i], within(1e-6));
    }
  }

  @Test
  void huberResistsOutliersThatPullSquaredLossAway() {
    Dataset<Row> clean = data(400, 7);
    // 5% of the labels far off in one direction: the squared-loss intercept follows them, Huber's
    // does not.
    Dataset<Row> dirty =
        clean.withColumn(
            Columns.LABEL,
            when(col("id").mod(20).equalTo(0), col(Columns.LABEL).plus(50.0))
                .otherwise(col(Columns.LABEL)));
    double[] squared = coefficients(dirty, "squared", false);
    double[] huber = coefficients(dirty, "huber", false);
    assertThat(Math.abs(squared[0] - 2.0)).isGreaterThan(0.5);
    assertThat(huber[0]).isCloseTo(2.0, within(0.2));
    assertThat(huber[1]).isCloseTo(3.0, within(0.2));
    assertThat(huber[2]).isCloseTo(-1.5, within(0.2));
  }
}
