package io.nightjar.registry;

import static io.nightjar.registry.ModelEventsTable.SEQ;
import static io.nightjar.registry.ModelVersionsTable.VERSION;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.nightjar.config.TableName;
import io.nightjar.spark.RowLayout;
import io.nightjar.spark.Warehouse;
import io.nightjar.spark.WarehouseTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code model_aliases} table: where each alias of a model points now, a projection of {@code
 * model_events} (see {@link ModelHistory}). Its name, columns, alias names, the read of a model's
 * aliases and their move live here. A missing table reads as empty.
 */
public final class ModelAliasesTable extends WarehouseTable {
  public static final String NAME = "model_aliases";

  /** The alias of the version that serves; moved by promote and rollback. */
  public static final String PRODUCTION = "production";

  /** The alias of the latest registered version. */
  public static final String CANDIDATE = "candidate";

  private static final String ALIAS = "alias";

  /** What one row records: where {@code alias} of {@code model} points, from commit {@code seq}. */
  private record Position(String model, String alias, int version, Timestamp updatedAt, int seq) {}

  private static final RowLayout<Position> COLUMNS =
      new RowLayout<Position>()
          .required(MODEL_NAME, StringType, Position::model)
          .required(ALIAS, StringType, Position::alias)
          .required(VERSION, IntegerType, Position::version)
          .required("updated_at", TimestampType, Position::updatedAt)
          // Nightjar's own column: the model_events commit number ({@code seq}) this position
          // follows from. An alias only moves to a position of a later or equal commit, so a slow
          // writer cannot move it back.
          .nullable(SEQ, IntegerType, Position::seq);

  public static final StructType SCHEMA = COLUMNS.schema();

  ModelAliasesTable(Warehouse warehouse, String database) {
    super(warehouse, new TableName(database, NAME), SCHEMA);
  }

  /** Where each alias of {@code model} points now. */
  Map<String, Integer> aliases(String model) {
    List<TableRow> rows = new ArrayList<>();
    for (Row row : ofModel(model).collectAsList()) {
      rows.add(new SparkTableRow(row));
    }
    return aliases(rows);
  }

  /**
   * Where each alias points, by alias name, from one model's rows of the table (read by Spark or by
   * Delta Kernel, in any order).
   */
  public static Map<String, Integer> aliases(List<TableRow> rowsOfModel) {
    Map<String, Integer> sorted = new TreeMap<>();
    for (TableRow row : rowsOfModel) {
      sorted.put(row.get(ALIAS), row.<Integer>get(VERSION));
    }
    return new LinkedHashMap<>(sorted);
  }

  /**
   * Points several aliases of {@code model} at once, in one commit, unless a row already follows
   * from a later history commit than {@code seq}.
   */
  void set(String model, Map<String, Integer> targets, int seq) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    targets.forEach(
        (alias, version) -> rows.add(COLUMNS.row(new Position(model, alias, version, now, seq))));
    merge(
        "move aliases " + targets.keySet() + " of model " + model,
        frame(rows),
        expr("t." + MODEL_NAME + " = s." + MODEL_NAME + " AND t." + ALIAS + " = s." + ALIAS),
        clauses ->
            clauses
                .whenMatched("t." + SEQ + " IS NULL OR t." + SEQ + " <= s." + SEQ)
                .updateAll()
                .whenNotMatched()
                .insertAll());
  }
}
