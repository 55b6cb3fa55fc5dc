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
   * The shipped {@code conf/nightjar.yaml}'s Delta settings, as YAML map entries: state rebuilt in
   * 2 tasks, not 50 (on these tables of few files the 50 tasks cost a child JVM more than the
   * work), and not cached.
   */
  static final String DELTA_CONF =
      "spark.databricks.delta.snapshotPartitions: \"2\","
          + " spark.databricks.delta.snapshotCache.storageLevel: NONE";

  /**
   * Writes {@code dir/nightjar.yaml}: local Spark with two shuffle partitions and {@link
   * #DELTA_CONF}, the warehouse, artifacts and reports under {@code dir}, database {@code
   * database}, specs under {@code models}.
   */
  static Path writeConfig(Path dir, String database, Path models) throws IOException {
    Path conf = dir.resolve("nightjar.yaml");
    Files.writeString(
        conf,
        """
        spark: {master: "local[2]", conf: {spark.sql.shuffle.partitions: "2", %s}}
        warehouse: %s
        database: %s
        artifacts: %s
        models: %s
        reports: %s
        """
                .formatted(
                    DELTA_CONF,
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
