package io.nightjar.spark;

import io.nightjar.config.ConfigException;
import io.nightjar.config.EnvironmentConfig;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a Nightjar process uses. Under {@code spark-submit} the master and
 * most settings come from the submitter; run by the launcher, Nightjar runs on embedded local Spark
 * with {@code spark.master} of the environment config.
 */
public final class SparkSessions {
  /**
   * Session settings Delta Lake needs (its SQL extension and catalog); they must be set before the
   * session exists.
   */
  public static final Map<String, String> DELTA_CONF =
      Map.of(
          "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
          "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");

  static final String CATALOG_IMPLEMENTATION = "spark.sql.catalogImplementation";

  private SparkSessions() {}

  /**
   * True when {@code spark-submit} launched this JVM (it passes its settings as system properties).
   */
  public static boolean submitted() {
    return System.getProperty("spark.master") != null;
  }

  /**
   * Which catalog the session uses. Run by the launcher: the shared Hive metastore on Derby's
   * network server (started here when none runs), so that every process sees what any other
   * created; or, with {@code metastore: in-memory}, a catalog of this process that {@link
   * Warehouse#prepareCatalog()} rebuilds from the warehouse. Under {@code spark-submit}: the
   * cluster's setting when it gives one, else the in-memory catalog (a cluster's driver may run on
   * any host, where no server of ours runs).
   */
  private static void catalog(
      SparkSession.Builder builder, EnvironmentConfig env, boolean submitted) {
    if (submitted) {
      if (System.getProperty(CATALOG_IMPLEMENTATION) == null) {
        builder.config(CATALOG_IMPLEMENTATION, "in-memory");
      }
      return;
    }
    if (env.metastore().inMemory() || SparkSession.getDefaultSession().isDefined()) {
      // An existing session (the tests' shared one) keeps its catalog: static settings cannot
      // change.
      builder.config(CATALOG_IMPLEMENTATION, "in-memory");
      return;
    }
    ConfigException.check(
        EnvironmentConfig.isLocal(env.warehouse()),
        "Invalid 'metastore' for the warehouse '%s': the shared metastore's Derby database lives under the warehouse,"
            + " which must then be a local directory. Set 'metastore: in-memory', or use a local warehouse.",
        env.warehouse());
    int port = env.metastore().port();
    MetastoreServer.ensureRunning(port);
    MetastoreServer.releaseIfDeleted(port, env.warehouse());
    builder.config(CATALOG_IMPLEMENTATION, "hive");
    builder.config(
        "spark.hadoop.javax.jdo.option.ConnectionURL",
        MetastoreServer.connectionUrl(port, env.warehouse()));
    builder.config(
        "spark.hadoop.javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.ClientDriver");
    // A new warehouse's metastore creates its schema itself; Hive's version check would refuse an
    // empty database.
    builder.config("spark.hadoop.datanucleus.schema.autoCreateAll", "true");
    builder.config("spark.hadoop.hive.metastore.schema.verification", "false");
  }

  /** True when this process's session uses a Hive metastore. */
  public static boolean hiveCatalog(SparkSession spark) {
    return "hive".equals(spark.conf().get(CATALOG_IMPLEMENTATION, "in-memory"));
  }

  /** Returns the session for this process, creating it from {@code env} on first use. */
  public static SparkSession getOrCreate(EnvironmentConfig env) {
    SparkSession.Builder builder = SparkSession.builder().appName("nightjar");
    boolean submitted = submitted();
    if (!submitted) {
      builder.master(env.sparkMaster());
      // Local runs serve nothing to other hosts: keep the driver on loopback and the UI off unless
      // asked for.
      builder.config("spark.driver.host", "127.0.0.1");
      builder.config("spark.driver.bindAddress", "127.0.0.1");
      builder.config("spark.ui.enabled", "false");
    }
    DELTA_CONF.forEach(builder::config);
    builder.config("spark.sql.warehouse.dir", env.warehouse());
    catalog(builder, env, submitted);
    builder.config("spark.sql.session.timeZone", "UTC");
    env.sparkConf().forEach(builder::config);
    return builder.getOrCreate();
  }
}
