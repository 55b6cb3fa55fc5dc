package io.nightjar.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.data.Columns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Linear losses on data whose true coefficients are known: y = 2 + 3 x1 - 1.5 x2 + small noise. */
class LinearFamilyTest {
  private static double[] coefficients(Dataset<Row> rows, String loss, boolean weighted) {
    return LinearFits.coefficients(LinearFits.fit(rows, loss, 0.0, weighted));
  }

  @Test
  void weightedSquaredLossEqualsTheFitOnRowsRepeatedByWeight() {
    Dataset<Row> base =
        LinearFits.line(300, 3)
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
    Dataset<Row> dirty = LinearFits.lineWithOutliers();
    double[] squared = coefficients(dirty, "squared", false);
    double[] huber = coefficients(dirty, "huber", false);
    assertThat(Math.abs(squared[0] - 2.0)).isGreaterThan(0.5);
    assertThat(huber[0]).isCloseTo(2.0, within(0.2));
    assertThat(huber[1]).isCloseTo(3.0, within(0.2));
    assertThat(huber[2]).isCloseTo(-1.5, within(0.2));
  }
}
