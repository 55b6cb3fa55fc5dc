package io.nightjar.monitoring;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.nightjar.config.TableName;
import io.nightjar.spark.Warehouse;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code model_metrics} table written by {@code evaluate}: each version's metrics on the labels
 * that arrived on a logical date, with the degradation alert. Its name, columns and rows live here,
 * the rewrite of a (model, date) and the reads in {@link DatedRows}; other classes select its
 * columns through the constants below.
 */
public final class ModelMetricsTable extends DatedRows {
  public static final String NAME = "model_metrics";

  public static final String VERSION = DatedRows.VERSION;
  public static final String LOGICAL_DATE = DatedRows.LOGICAL_DATE;
  public static final String METRIC = "metric";
  public static final String VALUE = "value";
  public static final String ROWS = "rows";
  public static final String HOLDOUT_VALUE = "holdout_value";
  public static final String ALERT = DatedRows.ALERT;

  public static final StructType SCHEMA =
      KEY.add(METRIC, StringType, false)
          .add(VALUE, DoubleType, true)
          .add(ROWS, LongType, false)
          .add("computed_at", TimestampType, false)
          // Nightjar's own columns: the version's holdout value of the metric, and whether the
          // metric degraded past monitoring.degradation_factor times it (only the spec's tuning
          // metric raises alerts).
          .add(HOLDOUT_VALUE, DoubleType, true)
          .add(ALERT, BooleanType, false);

  public ModelMetricsTable(Warehouse warehouse, String database) {
    super(warehouse, new TableName(database, NAME), SCHEMA);
  }

  /** A row of the table that knows its schema, so callers can read it by column name. */
  public static Row row(
      String model,
      int version,
      LocalDate date,
      String metric,
      double value,
      long rows,
      Timestamp computedAt,
      Double holdout,
      boolean alert) {
    return new GenericRowWithSchema(
        new Object[] {
          model, version, Date.valueOf(date), metric, value, rows, computedAt, holdout, alert
        },
        SCHEMA);
  }
}
