package io.nightjar.registry;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.MetastoreConfig;
import io.nightjar.config.ServeConfig;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import io.nightjar.spark.SparkSessions;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a registry of MODELS models with VERSIONS versions each under WAREHOUSE (database {@code
 * nightjar}) for jobs/bench/registry.sh, through the tables' own schemas and row conversion: one
 * commit per round of versions (so the logs have checkpoints, as a long-lived registry does), every
 * version's {@code registered} event, a promotion every tenth version, and the aliases. Usage:
 * {@code RegistryBenchWarehouse WAREHOUSE MODELS VERSIONS}.
 */
public final class RegistryBenchWarehouse {
  private RegistryBenchWarehouse() {}

  public static void main(String[] args) {
    String warehouse = args[0];
    int models = Integer.parseInt(args[1]);
    int versions = Integer.parseInt(args[2]);
    EnvironmentConfig env = environment(warehouse);
    SparkSession spark = SparkSessions.getOrCreate(env);
    JobContext context = new JobContext(env, spark, new PrintWriter(Writer.nullWriter()));
    context.ensureTables();
    long start = Timestamp.valueOf("2026-01-01 00:00:00").getTime();
    List<Row> aliases = new ArrayList<>();
    for (int v = 1; v <= versions; v++) {
      List<Row> versionRows = new ArrayList<>();
      List<Row> eventRows = new ArrayList<>();
      for (int m = 0; m < models; m++) {
        String model = String.format("bench_model_%02d", m);
        Timestamp at = new Timestamp(start + (v * 1000L + m) * 60_000L);
        ModelVersion version = ModelRegistryTest.draft(model, "sha-" + v).withVersion(v);
        versionRows.add(ModelVersionsTable.toRow(version));
        eventRows.add(event(model, v, EventKind.REGISTERED, null, at, 2 * v - 1));
        if (v % 10 == 1) {
          Integer previous = v == 1 ? null : v - 10;
          eventRows.add(
              event(
                  model, v, EventKind.PROMOTED, previous, new Timestamp(at.getTime() + 1), 2 * v));
        }
        if (v == versions) {
          int production = ((versions - 1) / 10) * 10 + 1;
          aliases.add(
              RowFactory.create(model, ModelAliasesTable.PRODUCTION, production, at, 2 * v));
          aliases.add(RowFactory.create(model, ModelAliasesTable.CANDIDATE, v, at, 2 * v));
        }
      }
      append(context, ModelVersionsTable.NAME, ModelVersionsTable.SCHEMA, versionRows);
      append(context, ModelEventsTable.NAME, ModelEventsTable.SCHEMA, eventRows);
    }
    append(context, ModelAliasesTable.NAME, ModelAliasesTable.SCHEMA, aliases);
    System.out.println(
        "registry of " + models + " models x " + versions + " versions under " + warehouse);
    spark.stop();
  }

  /**
   * A benchmark's environment under {@code warehouse}: local Spark on two cores with Nightjar's
   * Delta settings, the in-memory catalog.
   */
  public static EnvironmentConfig environment(String warehouse) {
    return new EnvironmentConfig(
        "local[2]",
        Map.of(
            "spark.sql.shuffle.partitions", "2",
            "spark.databricks.delta.snapshotPartitions", "2",
            "spark.databricks.delta.snapshotCache.storageLevel", "NONE"),
        warehouse,
        "nightjar",
        warehouse + "/artifacts",
        Path.of(warehouse, "models"),
        Path.of(warehouse, "reports"),
        MetastoreConfig.inMemoryCatalog(),
        ServeConfig.defaults());
  }

  private static Row event(
      String model, int version, EventKind kind, Integer previous, Timestamp at, int seq) {
    return RowFactory.create(
        model,
        version,
        kind.sqlName(),
        previous,
        "bench",
        kind.sqlName(),
        at,
        Map.of("rmse", 1.0 + version),
        null,
        seq);
  }

  private static void append(JobContext context, String table, StructType schema, List<Row> rows) {
    context
        .spark()
        .createDataFrame(rows, schema)
        .write()
        .format("delta")
        .mode("append")
        .save(context.warehouse().location(new TableName(context.env().database(), table)));
  }
}
