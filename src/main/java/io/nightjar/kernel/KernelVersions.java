package io.nightjar.kernel;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.spark.DeltaVersions;
import org.apache.hadoop.conf.Configuration;

/**
 * {@link DeltaVersions} through Delta Kernel: lists the table's log and reads its last checkpoint
 * and commits, as a reader must to know the version; no SparkSession, no job. Safe to share between
 * threads (Kernel's default engine holds no per-read state).
 */
public final class KernelVersions implements DeltaVersions {
  private final KernelTables tables;

  private KernelVersions(KernelTables tables) {
    this.tables = tables;
  }

  /** Reaches the warehouse with the Hadoop settings ({@code spark.hadoop.*}) of {@code env}. */
  public static KernelVersions open(EnvironmentConfig env) {
    return new KernelVersions(new KernelTables(KernelTables.hadoopConf(env.sparkConf())));
  }

  /** Reaches tables with {@code hadoop} (e.g. a Spark session's Hadoop configuration). */
  public static KernelVersions withHadoop(Configuration hadoop) {
    return new KernelVersions(new KernelTables(hadoop));
  }

  @Override
  public long latest(String path) {
    return tables.latestVersion(path);
  }
}
