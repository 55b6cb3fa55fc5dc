package io.nightjar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The rows {@code evaluate} prints: kind, version, name, value, rows, holdout, alert. */
class EvaluateCommandTest {
  @Test
  void aMetricRowPrintsItsKindThenItsColumnsInTheHeaderOrder() {
    StructType schema =
        new StructType()
            .add("model", DataTypes.StringType)
            .add(ModelMetricsTable.ALERT, DataTypes.BooleanType)
            .add(ModelMetricsTable.METRIC, DataTypes.StringType)
            .add(ModelMetricsTable.VERSION, DataTypes.IntegerType)
            .add(ModelMetricsTable.HOLDOUT_VALUE, DataTypes.DoubleType)
            .add(ModelMetricsTable.VALUE, DataTypes.DoubleType)
            .add(ModelMetricsTable.ROWS, DataTypes.LongType);
    Row row = new GenericRowWithSchema(new Object[] {"m", true, "rmse", 3, 0.4, 0.5, 120L}, schema);

    assertThat(EvaluateCommand.printed("metric", row, EvaluateCommand.METRIC_COLUMNS))
        .containsExactly("metric", 3, "rmse", 0.5, 120L, 0.4, true);
  }

  @Test
  void aDriftRowLeavesRowsAndHoldoutEmpty() {
    StructType schema =
        new StructType()
            .add(FeatureDriftTable.FEATURE, DataTypes.StringType)
            .add(FeatureDriftTable.PSI, DataTypes.DoubleType)
            .add(FeatureDriftTable.VERSION, DataTypes.IntegerType)
            .add(FeatureDriftTable.ALERT, DataTypes.BooleanType);
    Row row = new GenericRowWithSchema(new Object[] {"x1", 0.3, 2, false}, schema);

    assertThat(EvaluateCommand.printed("psi", row, EvaluateCommand.DRIFT_COLUMNS))
        .containsExactly("psi", 2, "x1", 0.3, null, null, false);
  }
}
