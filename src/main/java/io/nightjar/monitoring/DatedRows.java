package io.nightjar.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.nightjar.config.TableName;
import io.nightjar.spark.DeltaWrites;
import io.nightjar.spark.Warehouse;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * What {@code model_metrics} and {@code feature_drift} share: rows keyed by model and logical date,
 * rewritten per (model, date) by {@code evaluate}, read per model, with an {@code alert} column.
 * Each table's class adds its name, columns and rows.
 */
abstract class DatedRows {
  static final String MODEL_NAME = "model_name";
  static final String VERSION = "version";
  static final String LOGICAL_DATE = "logical_date";
  static final String ALERT = "alert";

  /** The columns each table starts with: the model, the version and the logical date. */
  static final StructType KEY =
      new StructType()
          .add(MODEL_NAME, StringType, false)
          .add(VERSION, IntegerType, false)
          .add(LOGICAL_DATE, DateType, false);

  private final Warehouse warehouse;
  private final TableName table;
  private final StructType schema;

  DatedRows(Warehouse warehouse, TableName table, StructType schema) {
    this.warehouse = warehouse;
    this.table = table;
    this.schema = schema;
  }

  /**
   * Replaces {@code model}'s rows of {@code date} with {@code rows} in one commit, creating the
   * table if missing.
   */
  public void replace(String model, LocalDate date, List<Row> rows) {
    warehouse.ensureTable(table, schema, List.of());
    String predicate = DeltaWrites.modelOnDate(LOGICAL_DATE, date, MODEL_NAME, model);
    Dataset<Row> frame = warehouse.spark().createDataFrame(rows, schema);
    DeltaWrites.replaceWhere(
        "write " + table + " for " + model + " on " + date,
        frame,
        warehouse.location(table),
        predicate);
  }

  /** True once {@code evaluate} has created the table. */
  public boolean exists() {
    return warehouse.exists(table);
  }

  /** {@code model}'s rows; the table must exist. */
  public Dataset<Row> ofModel(String model) {
    return warehouse.read(table).where(col(MODEL_NAME).equalTo(model));
  }

  /** {@code model}'s alert rows of its latest logical date; none when the table does not exist. */
  public List<Row> latestAlerts(String model) {
    if (!exists()) {
      return List.of();
    }
    Dataset<Row> rows = ofModel(model);
    Row latest = rows.agg(max(LOGICAL_DATE)).first();
    Dataset<Row> ofLatest =
        latest.isNullAt(0) ? rows.limit(0) : rows.where(col(LOGICAL_DATE).equalTo(latest.get(0)));
    return ofLatest.where(col(ALERT)).collectAsList();
  }
}
