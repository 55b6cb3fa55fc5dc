package io.nightjar.kernel;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.nightjar.registry.TableRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads whole Delta tables by path with Delta Kernel's default engine: the latest snapshot, every
 * live row (deletion vectors applied), no SparkSession. Nightjar's registry tables are small (a row
 * per version, alias or event), so a table is read whole and filtered in memory.
 */
final class KernelTables {
  private static final String HADOOP_PREFIX = "spark.hadoop.";

  private final Engine engine;

  KernelTables(Configuration hadoop) {
    this.engine = DefaultEngine.create(hadoop);
  }

  /**
   * The Hadoop settings a Spark session of {@code sparkConf} would have: its {@code spark.hadoop.*}
   * keys (e.g. object store credentials), so that Kernel reaches the warehouse as Spark does.
   */
  static Configuration hadoopConf(Map<String, String> sparkConf) {
    Configuration conf = new Configuration();
    sparkConf.forEach(
        (key, value) -> {
          if (key.startsWith(HADOOP_PREFIX)) {
            conf.set(key.substring(HADOOP_PREFIX.length()), value);
          }
        });
    return conf;
  }

  /** True when a Delta table with at least one commit is at {@code path}. */
  boolean exists(String path) {
    return snapshot(path).isPresent();
  }

  /** The latest version of the table at {@code path}, or -1 when no Delta table is there (yet). */
  long latestVersion(String path) {
    return snapshot(path).map(s -> s.getVersion(engine)).orElse(-1L);
  }

  /** Every row of the table at {@code path}; empty when no Delta table is there (yet). */
  List<TableRow> read(String path) {
    Optional<Snapshot> latest = snapshot(path);
    if (latest.isEmpty()) {
      return List.of();
    }
    Snapshot snapshot = latest.get();
    Scan scan = snapshot.getScanBuilder(engine).build();
    Row scanState = scan.getScanState(engine);
    // Kernel's documented read loop: its public API has no single call that reads a scan's data.
    StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
    List<TableRow> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> scanFiles = files.next().getRows()) {
          while (scanFiles.hasNext()) {
            readFile(scanState, scanFiles.next(), physicalSchema, out);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Delta table " + path, e);
    }
    return out;
  }

  private Optional<Snapshot> snapshot(String path) {
    try {
      return Optional.of(Table.forPath(engine, path).getLatestSnapshot(engine));
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }

  private void readFile(Row scanState, Row scanFile, StructType physicalSchema, List<TableRow> out)
      throws IOException {
    FileStatus file = InternalScanFileUtils.getAddFileStatus(scanFile);
    CloseableIterator<ColumnarBatch> physical =
        engine
            .getParquetHandler()
            .readParquetFiles(
                Utils.singletonCloseableIterator(file), physicalSchema, Optional.empty());
    try (CloseableIterator<FilteredColumnarBatch> batches =
        Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> rows = batches.next().getRows()) {
          while (rows.hasNext()) {
            out.add(KernelRow.copyOf(rows.next()));
          }
        }
      }
    }
  }
}
