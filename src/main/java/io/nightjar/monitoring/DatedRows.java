package io.nightjar.monitoring;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.nightjar.config.TableName;
import io.nightjar.spark.DeltaWrites;
import io.nightjar.spark.Warehouse;
import io.nightjar.spark.WarehouseTable;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * What {@code model_metrics} and {@code feature_drift} share: rows keyed by model and logical date,
 * rewritten per (model, date) by {@code evaluate}, read per model, with an {@code alert} column
 * ({@code status} raises its alerts from the rows of the latest date). Each table's class adds its
 * name, columns and rows.
 */
abstract class DatedRows extends WarehouseTable {
  static final String VERSION = "version";
  static final String LOGICAL_DATE = "logical_date";
  static final String ALERT = "alert";

  /** The columns each table starts with: the model, the version and the logical date. */
  static final StructType KEY =
      new StructType()
          .add(MODEL_NAME, StringType, false)
          .add(VERSION, IntegerType, false)
          .add(LOGICAL_DATE, DateType, false);

  DatedRows(Warehouse warehouse, TableName table, StructType schema) {
    super(warehouse, table, schema);
  }

  /**
   * Replaces {@code model}'s rows of {@code date} with {@code rows} in one commit, creating the
   * table if missing.
   */
  public void replace(String model, LocalDate date, List<Row> rows) {
    ensureTable();
    String predicate = DeltaWrites.modelOnDate(LOGICAL_DATE, date, MODEL_NAME, model);
    DeltaWrites.replaceWhere(
        "write " + table + " for " + model + " on " + date,
        frame(rows),
        warehouse.location(table),
        predicate);
  }
}
