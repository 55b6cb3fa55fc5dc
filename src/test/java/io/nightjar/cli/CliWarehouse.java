package io.nightjar.cli;

import io.nightjar.TestMetastore;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The warehouse of a test that runs the CLI in child JVMs: its environment config under a temporary
 * directory, on the test JVM's metastore server, and its source tables.
 */
final class CliWarehouse {
  private CliWarehouse() {}

  /**
   * Writes {@code dir/nightjar.yaml}: local Spark with two shuffle partitions, the warehouse,
   * artifacts and reports under {@code dir}, database {@code database}, specs under {@code models}.
   */
  static Path writeConfig(Path dir, String database, Path models) throws IOException {
    Path conf = dir.resolve("nightjar.yaml");
    Files.writeString(
        conf,
        """
        spark: {master: "local[2]", conf: {spark.sql.shuffle.partitions: "2"}}
        warehouse: %s
        database: %s
        artifacts: %s
        models: %s
        reports: %s
        """
                .formatted(
                    dir.resolve("warehouse"),
                    database,
                    dir.resolve("artifacts"),
                    models,
                    dir.resolve("reports"))
            + TestMetastore.yaml());
    return conf;
  }

  /** Writes {@code rows} as the Delta table {@code database.table} and registers it. */
  static void writeTable(JobContext context, String database, String table, Dataset<Row> rows) {
    TableName name = new TableName(database, table);
    rows.write().format("delta").mode("overwrite").save(context.warehouse().location(name));
    context.warehouse().register(name);
  }
}
