package io.nightjar.scoring;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.nightjar.config.Identifiers;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.spark.DeltaRetry;
import io.nightjar.spark.Warehouse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A prediction table ({@code scoring.output}, SPEC §6), partitioned by {@code score_date}, and its {@code _current}
 * view. Writing a date replaces that model's rows of that date in one Delta commit ({@code replaceWhere}), so a rerun
 * never duplicates and readers never see a half-written date.
 */
public final class PredictionTable {
  public static final String SCORE_DATE = "score_date";
  public static final String CURRENT_SUFFIX = "_current";

  private final Warehouse warehouse;
  private final TableName table;
  private final String idColumn;
  private final DataType idType;
  private final Task task;

  public PredictionTable(Warehouse warehouse, TableName table, String idColumn, DataType idType, Task task) {
    this.warehouse = warehouse;
    this.table = table;
    this.idColumn = Identifiers.sqlName("data.id", idColumn);
    this.idType = idType;
    this.task = task;
  }

  public TableName name() {
    return table;
  }

  public TableName currentView() {
    return new TableName(table.database(), table.table() + CURRENT_SUFFIX);
  }

  /** The table's columns, in order. */
  public StructType schema() {
    StructType schema = new StructType().add(idColumn, idType, false).add(Columns.PREDICTION, DoubleType, false);
    if (task == Task.CLASSIFICATION) {
      schema = schema.add(Columns.PROBABILITY, DoubleType, true);
    }
    return schema
        .add("model_name", StringType, false)
        .add("model_version", IntegerType, false)
        .add("run_id", StringType, false)
        .add(SCORE_DATE, DateType, false)
        .add("scored_at", TimestampType, false)
        .add("valid_until", TimestampType, false)
        .add("input_version", LongType, true);
  }

  /** Replaces {@code model}'s rows of {@code date} with {@code rows} (which have exactly {@link #schema()}'s columns). */
  public void replaceDate(Dataset<Row> rows, String model, LocalDate date) {
    warehouse.ensureTable(table, schema(), List.of(SCORE_DATE));
    String predicate =
        SCORE_DATE + " = DATE " + Identifiers.literal(date.toString()) + " AND model_name = " + Identifiers.literal(model);
    DeltaRetry.run(
        "write the predictions of " + model + " for " + date,
        () ->
            rows.write()
                .format("delta")
                .mode("overwrite")
                .option("replaceWhere", predicate)
                .save(warehouse.location(table)));
  }

  /**
   * Creates the {@code _current} view: the latest score of each entity (every row in the table comes from a run that
   * succeeded, because a failed run commits nothing), with {@code is_fresh} = now &lt; valid_until. Stale rows stay
   * visible, flagged, so a missed nightly run never makes answers disappear.
   */
  public void createCurrentView() {
    List<String> columns = new ArrayList<>();
    for (String field : schema().fieldNames()) {
      columns.add(Identifiers.quote(field));
    }
    String id = Identifiers.quote(idColumn);
    String sql =
        "SELECT "
            + String.join(", ", columns)
            + ", current_timestamp() < valid_until AS is_fresh FROM (SELECT *, row_number() OVER (PARTITION BY "
            + id
            + " ORDER BY score_date DESC, scored_at DESC) AS __rank FROM "
            + table.sql()
            + ") WHERE __rank = 1";
    warehouse.createView(currentView(), sql);
  }
}
