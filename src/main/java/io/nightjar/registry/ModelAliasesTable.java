package io.nightjar.registry;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.delta.tables.DeltaTable;
import io.nightjar.spark.DeltaRetry;
import io.nightjar.spark.Warehouse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code model_aliases} table: where each alias of a model points now, a projection of {@code
 * model_events} (see {@link ModelHistory}). Its name, columns, alias names, the read of a model's
 * aliases and their move live here. A missing table reads as empty.
 */
public final class ModelAliasesTable extends RegistryTable {
  public static final String NAME = "model_aliases";

  /** The alias of the version that serves; moved by promote and rollback. */
  public static final String PRODUCTION = "production";

  /** The alias of the latest registered version. */
  public static final String CANDIDATE = "candidate";

  private static final String MODEL_NAME = "model_name";
  private static final String ALIAS = "alias";
  private static final String VERSION = "version";
  private static final String SEQ = "seq";

  public static final StructType SCHEMA =
      new StructType()
          .add(MODEL_NAME, StringType, false)
          .add(ALIAS, StringType, false)
          .add(VERSION, IntegerType, false)
          .add("updated_at", TimestampType, false)
          // Nightjar's own column: the model_events commit number ({@code seq}) this position
          // follows from. An alias only moves to a position of a later or equal commit, so a slow
          // writer cannot move it back.
          .add(SEQ, IntegerType, true);

  ModelAliasesTable(Warehouse warehouse, String database) {
    super(warehouse, database, NAME, SCHEMA);
  }

  /** Where each alias of {@code model} points now. */
  Map<String, Integer> aliases(String model) {
    List<TableRow> rows = new ArrayList<>();
    for (Row row : rows().where(col(MODEL_NAME).equalTo(model)).collectAsList()) {
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
        (alias, version) -> rows.add(RowFactory.create(model, alias, version, now, seq)));
    Dataset<Row> row = frame(rows);
    DeltaRetry.run(
        "move aliases " + targets.keySet() + " of model " + model,
        () ->
            DeltaTable.forPath(warehouse.spark(), warehouse.location(table))
                .as("t")
                .merge(
                    row.as("s"),
                    "t." + MODEL_NAME + " = s." + MODEL_NAME + " AND t." + ALIAS + " = s." + ALIAS)
                .whenMatched("t." + SEQ + " IS NULL OR t." + SEQ + " <= s." + SEQ)
                .updateAll()
                .whenNotMatched()
                .insertAll()
                .execute());
  }
}
