package io.nightjar.monitoring;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.nightjar.config.TableName;
import io.nightjar.spark.Warehouse;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code feature_drift} table written by {@code evaluate}: the PSI of each feature, and of the
 * predictions, of a logical date's scoring against the version's training baseline. Its name,
 * columns and rows live here, the rewrite of a (model, date) and the reads in {@link DatedRows};
 * other classes select its columns through the constants below.
 */
public final class FeatureDriftTable extends DatedRows {
  public static final String NAME = "feature_drift";

  /** The row that holds the PSI of the predictions themselves. */
  public static final String PREDICTION_FEATURE = "(prediction)";

  public static final String VERSION = DatedRows.VERSION;
  public static final String LOGICAL_DATE = DatedRows.LOGICAL_DATE;
  public static final String FEATURE = "feature";
  public static final String PSI = "psi";
  public static final String ALERT = DatedRows.ALERT;

  public static final StructType SCHEMA =
      KEY.add(FEATURE, StringType, false)
          .add(PSI, DoubleType, false)
          .add(ALERT, BooleanType, false);

  public FeatureDriftTable(Warehouse warehouse, String database) {
    super(warehouse, new TableName(database, NAME), SCHEMA);
  }

  /** A row of the table that knows its schema, so callers can read it by column name. */
  public static Row row(
      String model, int version, LocalDate date, String feature, double psi, boolean alert) {
    return new GenericRowWithSchema(
        new Object[] {model, version, Date.valueOf(date), feature, psi, alert}, SCHEMA);
  }
}
