package io.nightjar.bench;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.TableName;
import io.nightjar.registry.RegistryBenchWarehouse;
import io.nightjar.spark.SparkSessions;
import io.nightjar.spark.Warehouse;
import org.apache.spark.sql.SparkSession;

/**
 * What a command's start costs on an in-memory catalog as the warehouse grows, for
 * jobs/bench/startup.sh. {@code CatalogStartup create WAREHOUSE N} writes N one-row Delta tables
 * under WAREHOUSE (database {@code bench}); {@code CatalogStartup time WAREHOUSE} starts a session
 * as a command does and prints the seconds of the session's start and of {@code
 * Warehouse.prepareCatalog()} (which registers every table) and the tables the catalog then knows.
 */
public final class CatalogStartup {
  private CatalogStartup() {}

  public static void main(String[] args) throws Exception {
    String warehouse = args[1];
    EnvironmentConfig env = RegistryBenchWarehouse.environment(warehouse);
    long start = System.nanoTime();
    SparkSession spark = SparkSessions.getOrCreate(env);
    double session = seconds(start);
    Warehouse tables = new Warehouse(spark, env);
    if (args[0].equals("create")) {
      int n = Integer.parseInt(args[2]);
      for (int i = 0; i < n; i++) {
        spark
            .range(1)
            .write()
            .format("delta")
            .save(tables.location(new TableName("bench", String.format("t%03d", i))));
      }
      System.out.println("created " + n + " tables under " + warehouse);
    } else {
      long prepare = System.nanoTime();
      tables.prepareCatalog();
      System.out.printf(
          "session_start_s=%.2f prepare_catalog_s=%.2f tables=%d%n",
          session, seconds(prepare), spark.catalog().listTables("bench").count());
    }
    spark.stop();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
