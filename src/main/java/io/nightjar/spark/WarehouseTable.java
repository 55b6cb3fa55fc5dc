package io.nightjar.spark;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaMergeBuilder;
import io.delta.tables.DeltaTable;
import io.nightjar.config.TableName;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Delta table of the warehouse that one Nightjar class owns, keyed by model: what every owner
 * shares (where the table lives, its creation, its rows and one model's rows, none before a job has
 * created it, new rows in its schema, and a {@code MERGE} retried when a concurrent writer wins).
 * Each owner adds its name, columns, reads and writes.
 */
public abstract class WarehouseTable {
  /** The column every table keys its rows on: the model they belong to. */
  public static final String MODEL_NAME = "model_name";

  protected final Warehouse warehouse;
  protected final TableName table;
  private final StructType schema;

  protected WarehouseTable(Warehouse warehouse, TableName table, StructType schema) {
    this.warehouse = requireNonNull(warehouse, "warehouse is null");
    this.table = requireNonNull(table, "table is null");
    this.schema = requireNonNull(schema, "schema is null");
  }

  /** Creates the table when it is missing (unpartitioned). */
  public void ensureTable() {
    warehouse.ensureTable(table, schema, List.of());
  }

  /** True once a job has created the table. */
  public boolean exists() {
    return warehouse.exists(table);
  }

  /** The table's rows; none before a job has created it. */
  public Dataset<Row> rows() {
    return warehouse.readOrEmpty(table, schema);
  }

  /** {@code model}'s rows; none before a job has created the table. */
  public Dataset<Row> ofModel(String model) {
    return rows().where(col(MODEL_NAME).equalTo(model));
  }

  /** {@code rows} as a frame with the table's schema, to write. */
  protected Dataset<Row> frame(List<Row> rows) {
    return warehouse.spark().createDataFrame(rows, schema);
  }

  /**
   * Merges {@code source} (aliased {@code s}) into the table (aliased {@code t}) on {@code on}, in
   * one commit; {@code clauses} adds the {@code WHEN} clauses. Retried by {@link DeltaRetry} when a
   * concurrent writer wins, so the clauses must be safe to apply again; {@code what} names the
   * write in its error ("write ...").
   */
  protected void merge(
      String what, Dataset<Row> source, Column on, UnaryOperator<DeltaMergeBuilder> clauses) {
    DeltaRetry.run(
        what,
        () ->
            clauses
                .apply(
                    DeltaTable.forPath(warehouse.spark(), warehouse.location(table))
                        .as("t")
                        .merge(source.as("s"), on))
                .execute());
  }
}
