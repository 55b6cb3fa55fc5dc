package io.nightjar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The rows {@code evaluate} prints: kind, version, name, value, rows, holdout, alert. */
class EvaluateCommandTest {
  @Test
  void aMetricRowPrintsItsKindThenItsColumnsInTheHeaderOrder() {
    Row row =
        row(
            List.of(
                "model",
                ModelMetricsTable.ALERT,
                ModelMetricsTable.METRIC,
                ModelMetricsTable.VERSION,
                ModelMetricsTable.HOLDOUT_VALUE,
                ModelMetricsTable.VALUE,
                ModelMetricsTable.ROWS),
            "m",
            true,
            "rmse",
            3,
            0.4,
            0.5,
            120L);

    assertThat(EvaluateCommand.printed("metric", row, EvaluateCommand.METRIC_COLUMNS))
        .containsExactly("metric", 3, "rmse", 0.5, 120L, 0.4, true);
  }

  @Test
  void aDriftRowLeavesRowsAndHoldoutEmpty() {
    Row row =
        row(
            List.of(
                FeatureDriftTable.FEATURE,
                FeatureDriftTable.PSI,
                FeatureDriftTable.VERSION,
                FeatureDriftTable.ALERT),
            "x1",
            0.3,
            2,
            false);

    assertThat(EvaluateCommand.printed("psi", row, EvaluateCommand.DRIFT_COLUMNS))
        .containsExactly("psi", 2, "x1", 0.3, null, null, false);
  }

  /** A row with these columns in this order; read by name, so their declared type is not used. */
  private static Row row(List<String> columns, Object... values) {
    StructType schema = new StructType();
    for (String column : columns) {
      schema = schema.add(column, DataTypes.NullType);
    }
    return new GenericRowWithSchema(values, schema);
  }
}
