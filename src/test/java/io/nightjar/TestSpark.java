package io.nightjar;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.MetastoreConfig;
import io.nightjar.config.ServeConfig;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import io.nightjar.spark.SparkSessions;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of the test JVM ({@code local[2]}, few shuffle partitions, UI off),
 * and a {@link JobContext} per test class with its own warehouse directory and database, so that
 * classes never see each other's tables. DataFrame comparisons go through spark-testing-base.
 */
public final class TestSpark {
  private static final JavaDataFrameSuiteBase FRAMES = new JavaDataFrameSuiteBase();

  private TestSpark() {}

  /** An environment rooted at {@code dir} with Nightjar's tables in {@code database}. */
  public static EnvironmentConfig environment(Path dir, String database) {
    return new EnvironmentConfig(
        "local[2]",
        Map.of(
            "spark.sql.shuffle.partitions", "2",
            "spark.default.parallelism", "2",
            "spark.databricks.delta.snapshotPartitions", "2",
            "spark.databricks.delta.snapshotCache.storageLevel", "NONE",
            "spark.ui.enabled", "false"),
        dir.resolve("warehouse").toString(),
        database,
        dir.resolve("artifacts").toString(),
        dir.resolve("models"),
        dir.resolve("reports"),
        // The shared test session keeps Spark's in-memory catalog: every test class has its own
        // warehouse, which one Hive metastore per session could not follow, and it starts faster.
        // The product's shared metastore is exercised by the child-JVM CLI tests
        // (CatalogPersistenceTest and others, on TestMetastore's server).
        MetastoreConfig.inMemoryCatalog(),
        ServeConfig.defaults());
  }

  public static SparkSession session() {
    return SparkSessions.getOrCreate(
        environment(Path.of(System.getProperty("java.io.tmpdir")), "nightjar"));
  }

  /** A job context over a fresh warehouse under {@code dir}; progress lines are dropped. */
  public static JobContext context(Path dir, String database) {
    EnvironmentConfig env = environment(dir, database);
    SparkSession spark = SparkSessions.getOrCreate(env);
    return new JobContext(env, spark, new PrintWriter(Writer.nullWriter()));
  }

  /** As {@link #context}, with {@code database} created. */
  public static JobContext contextWithDatabase(Path dir, String database) {
    JobContext context = context(dir, database);
    context.warehouse().ensureDatabase(database);
    return context;
  }

  /** The Delta table {@code table} as stored at its warehouse location, not through the catalog. */
  public static Dataset<Row> readDelta(JobContext context, TableName table) {
    return context.spark().read().format("delta").load(context.warehouse().location(table));
  }

  /** Same rows and schema in any order (spark-testing-base). */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    FRAMES.assertDataFrameNoOrderEquals(expected, actual);
  }

  /** Same rows in the same order, numbers within {@code tolerance} (spark-testing-base). */
  public static void assertApproximatelyEqual(
      Dataset<Row> expected, Dataset<Row> actual, double tolerance) {
    FRAMES.assertDataFrameApproximateEquals(expected, actual, tolerance);
  }
}
