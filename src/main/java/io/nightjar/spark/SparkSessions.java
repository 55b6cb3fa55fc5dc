package io.nightjar.spark;

import io.nightjar.config.EnvironmentConfig;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a Nightjar process uses. Under {@code spark-submit} the master and most settings come
 * from the submitter; run by the launcher, Nightjar runs on embedded local Spark with {@code spark.master} of the
 * environment config.
 */
public final class SparkSessions {
  /** Session settings Delta needs (SPEC §1); they must be set before the session exists. */
  public static final Map<String, String> DELTA_CONF =
      Map.of(
          "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
          "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");

  private SparkSessions() {}

  /** True when {@code spark-submit} launched this JVM (it passes its settings as system properties). */
  public static boolean submitted() {
    return System.getProperty("spark.master") != null;
  }

  /** Returns the session for this process, creating it from {@code env} on first use. */
  public static SparkSession getOrCreate(EnvironmentConfig env) {
    SparkSession.Builder builder = SparkSession.builder().appName("nightjar");
    boolean submitted = submitted();
    if (!submitted) {
      builder.master(env.sparkMaster());
      // Local runs serve nothing to other hosts: keep the driver on loopback and the UI off unless asked for.
      builder.config("spark.driver.host", "127.0.0.1");
      builder.config("spark.driver.bindAddress", "127.0.0.1");
      builder.config("spark.ui.enabled", "false");
    }
    DELTA_CONF.forEach(builder::config);
    builder.config("spark.sql.warehouse.dir", env.warehouse());
    // Without a shared metastore, Warehouse.discover() registers the Delta tables found under the warehouse, so
    // that any number of processes can use the warehouse at once (embedded Derby allows only one).
    if (!submitted || System.getProperty("spark.sql.catalogImplementation") == null) {
      builder.config("spark.sql.catalogImplementation", "in-memory");
    }
    builder.config("spark.sql.session.timeZone", "UTC");
    env.sparkConf().forEach(builder::config);
    return builder.getOrCreate();
  }
}
