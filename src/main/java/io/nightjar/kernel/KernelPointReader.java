package io.nightjar.kernel;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.spark.DeltaPointReader;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * {@link DeltaPointReader} through Delta Kernel: the scan at the pinned version carries the key as
 * an equality filter, so Kernel's data skipping (min/max statistics per file, partition values)
 * leaves out the files that cannot hold it. Safe to share between threads (Kernel's default engine
 * holds no per-read state).
 */
public final class KernelPointReader implements DeltaPointReader {
  private final KernelTables tables;

  private KernelPointReader(KernelTables tables) {
    this.tables = tables;
  }

  /** Reaches the warehouse with the Hadoop settings ({@code spark.hadoop.*}) of {@code env}. */
  public static KernelPointReader open(EnvironmentConfig env) {
    return new KernelPointReader(new KernelTables(KernelTables.hadoopConf(env.sparkConf())));
  }

  /** Reaches tables with {@code hadoop} (e.g. a Spark session's Hadoop configuration). */
  public static KernelPointReader withHadoop(Configuration hadoop) {
    return new KernelPointReader(new KernelTables(hadoop));
  }

  @Override
  public List<Map<String, Object>> rowsWhere(
      String path, long version, String column, Object key, Collection<String> columns) {
    return tables.rowsWhere(path, version, column, key, columns);
  }
}
