package io.nightjar.monitoring;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.nightjar.config.TableName;
import io.nightjar.spark.Warehouse;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code feature_drift} table written by {@code evaluate}: the PSI of each feature, and of the
 * predictions, of a logical date's scoring against the version's training baseline. Its name,
 * columns, rows, the rewrite of a (model, date) and the reads live here; other classes select its
 * columns through the constants below.
 */
public final class FeatureDriftTable {
  public static final String NAME = "feature_drift";

  /** The row that holds the PSI of the predictions themselves. */
  public static final String PREDICTION_FEATURE = "(prediction)";

  private static final String MODEL_NAME = DatedRows.MODEL_NAME;
  public static final String VERSION = "version";
  public static final String LOGICAL_DATE = DatedRows.LOGICAL_DATE;
  public static final String FEATURE = "feature";
  public static final String PSI = "psi";
  public static final String ALERT = DatedRows.ALERT;

  public static final StructType SCHEMA =
      new StructType()
          .add(MODEL_NAME, StringType, false)
          .add(VERSION, IntegerType, false)
          .add(LOGICAL_DATE, DateType, false)
          .add(FEATURE, StringType, false)
          .add(PSI, DoubleType, false)
          .add(ALERT, BooleanType, false);

  private final DatedRows rows;

  public FeatureDriftTable(Warehouse warehouse, String database) {
    this.rows = new DatedRows(warehouse, new TableName(database, NAME), SCHEMA);
  }

  /** A row of the table that knows its schema, so callers can read it by column name. */
  public static Row row(
      String model, int version, LocalDate date, String feature, double psi, boolean alert) {
    return new GenericRowWithSchema(
        new Object[] {model, version, Date.valueOf(date), feature, psi, alert}, SCHEMA);
  }

  /**
   * Replaces {@code model}'s rows of {@code date} with {@code rows} in one commit, creating the
   * table if missing.
   */
  public void replace(String model, LocalDate date, List<Row> rows) {
    this.rows.replace(model, date, rows);
  }

  /** True once {@code evaluate} has created the table. */
  public boolean exists() {
    return rows.exists();
  }

  /** {@code model}'s rows; the table must exist. */
  public Dataset<Row> ofModel(String model) {
    return rows.ofModel(model);
  }

  /** {@code model}'s alerts of its latest evaluated date; none when the table does not exist. */
  public List<Row> latestAlerts(String model) {
    return rows.latestAlerts(model);
  }
}
