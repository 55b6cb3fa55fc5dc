package io.nightjar.registry;

import io.nightjar.config.TableName;
import io.nightjar.spark.Warehouse;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * What the registry's tables ({@code model_versions}, {@code model_aliases}, {@code model_events})
 * share: where the table lives, its creation, its rows (none before a job has created it) and new
 * rows in its schema. Each table's class adds its name, columns, reads and writes.
 */
abstract class RegistryTable {
  final Warehouse warehouse;
  final TableName table;
  private final StructType schema;

  RegistryTable(Warehouse warehouse, String database, String name, StructType schema) {
    this.warehouse = warehouse;
    this.table = new TableName(database, name);
    this.schema = schema;
  }

  /** Creates the table when it is missing. */
  void ensureTable() {
    warehouse.ensureTable(table, schema, List.of());
  }

  /** The table's rows; none before a job has created it. */
  Dataset<Row> rows() {
    return warehouse.readOrEmpty(table, schema);
  }

  /** {@code rows} as a frame with the table's schema, to write. */
  Dataset<Row> frame(List<Row> rows) {
    return warehouse.spark().createDataFrame(rows, schema);
  }
}
