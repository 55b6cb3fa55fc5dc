package io.nightjar.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestSpark;
import io.nightjar.config.Metric;
import io.nightjar.data.Columns;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Metrics against values worked out by hand on tiny frames. */
class MetricsTest {
  private static Dataset<Row> frame(StructType schema, Object[]... rows) {
    return TestSpark.session().createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), schema);
  }

  private static final StructType REGRESSION =
      new StructType()
          .add(Columns.LABEL, DataTypes.DoubleType)
          .add(Columns.PREDICTION, DataTypes.DoubleType)
          .add(Columns.WEIGHT, DataTypes.DoubleType);

  @Test
  void regressionMetricsMatchHandComputedValues() {
    // residuals y - p: 1, -2, 0, 1 ; y = 3, 1, 2, 6 (mean 3)
    Dataset<Row> scored =
        frame(REGRESSION, new Object[] {3.0, 2.0, 1.0}, new Object[] {1.0, 3.0, 1.0}, new Object[] {2.0, 2.0, 1.0},
            new Object[] {6.0, 5.0, 1.0});
    Map<Metric, Double> m =
        Metrics.compute(scored, List.of(Metric.RMSE, Metric.MAE, Metric.R2, Metric.PINBALL), false, 0.9);
    assertThat(m.get(Metric.RMSE)).isCloseTo(Math.sqrt(6.0 / 4), within(1e-12));
    assertThat(m.get(Metric.MAE)).isCloseTo(1.0, within(1e-12));
    assertThat(m.get(Metric.R2)).isCloseTo(1 - 6.0 / 14.0, within(1e-12));
    // pinball at 0.9: 0.9*1 + 0.1*2 + 0 + 0.9*1 = 2.0, mean 0.5
    assertThat(m.get(Metric.PINBALL)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void weightsActLikeRepeatedRows() {
    Dataset<Row> weighted = frame(REGRESSION, new Object[] {3.0, 2.0, 3.0}, new Object[] {1.0, 3.0, 1.0});
    Dataset<Row> repeated =
        frame(REGRESSION, new Object[] {3.0, 2.0, 1.0}, new Object[] {3.0, 2.0, 1.0}, new Object[] {3.0, 2.0, 1.0},
            new Object[] {1.0, 3.0, 1.0});
    assertThat(Metrics.compute(weighted, Metric.RMSE, true, null))
        .isCloseTo(Metrics.compute(repeated, Metric.RMSE, false, null), within(1e-12));
  }

  @Test
  void classificationMetricsMatchHandComputedValues() {
    StructType schema =
        new StructType()
            .add(Columns.LABEL, DataTypes.DoubleType)
            .add(Columns.PREDICTION, DataTypes.DoubleType)
            .add(Columns.PROBABILITY, DataTypes.DoubleType);
    Dataset<Row> scored =
        frame(schema, new Object[] {1.0, 1.0, 0.9}, new Object[] {0.0, 1.0, 0.6}, new Object[] {1.0, 0.0, 0.4},
            new Object[] {0.0, 0.0, 0.2});
    Map<Metric, Double> m = Metrics.compute(scored, Metrics.standard(io.nightjar.config.Task.CLASSIFICATION, null),
        false, null);
    double logloss = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8)) / 4;
    assertThat(m.get(Metric.LOGLOSS)).isCloseTo(logloss, within(1e-12));
    assertThat(m.get(Metric.ACCURACY)).isCloseTo(0.5, within(1e-12));
    assertThat(m.get(Metric.F1)).isCloseTo(0.5, within(1e-12)); // tp 1, fp 1, fn 1
    assertThat(m.get(Metric.AUC)).isCloseTo(0.75, within(1e-12)); // 3 of 4 positive/negative pairs ordered
  }
}
