package io.nightjar.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;

import io.nightjar.config.TableName;
import io.nightjar.registry.ModelEventsTable;
import io.nightjar.registry.ModelVersionsTable;
import io.nightjar.spark.SparkSessions;
import io.nightjar.spark.Warehouse;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The naive way to ask the registry, for jobs/bench/registry.sh: a fresh local SparkSession reading
 * {@code model_versions} (and, for a history, {@code model_events}) of WAREHOUSE by path and
 * printing the answer. Usage: {@code NaiveRegistryRead WAREHOUSE [MODEL]}.
 */
public final class NaiveRegistryRead {
  private NaiveRegistryRead() {}

  public static void main(String[] args) {
    String warehouse = args[0];
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("naive-registry-read")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.sql.catalogImplementation", "in-memory")
            .config("spark.sql.session.timeZone", "UTC");
    SparkSessions.DELTA_CONF.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    String versions =
        Warehouse.location(warehouse, new TableName("nightjar", ModelVersionsTable.NAME));
    if (args.length == 1) {
      for (Row row :
          spark
              .read()
              .format("delta")
              .load(versions)
              .groupBy(ModelVersionsTable.MODEL_NAME)
              .agg(count("*"), max("version"), max("created_at"))
              .orderBy(ModelVersionsTable.MODEL_NAME)
              .collectAsList()) {
        System.out.println(row.mkString("\t"));
      }
    } else {
      String events =
          Warehouse.location(warehouse, new TableName("nightjar", ModelEventsTable.NAME));
      for (Row row :
          spark
              .read()
              .format("delta")
              .load(events)
              .where(col(ModelVersionsTable.MODEL_NAME).equalTo(args[1]))
              .orderBy("seq", "at", "version")
              .collectAsList()) {
        System.out.println(row.mkString("\t"));
      }
    }
    spark.stop();
  }
}
