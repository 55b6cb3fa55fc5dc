package io.nightjar.kernel;

import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.nightjar.registry.TableRow;
import io.nightjar.spark.WarehouseTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads Delta tables by path with Delta Kernel's default engine: live rows only (deletion vectors
 * applied), no SparkSession. Nightjar's own tables are small (a row per version, alias, event, run,
 * metric or alert), so a table is read whole or with the columns asked for at its latest snapshot,
 * and filtered in memory; a large table (predictions) is scanned row by row ({@link #scan}), and
 * {@code serve}'s large feature sources are read one key at a time at a pinned version ({@link
 * #rowsWhere}).
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
    List<TableRow> out = new ArrayList<>();
    scan(path, null, null, row -> out.add(KernelRow.copyOf(row)));
    return out;
  }

  /**
   * Hands each live row of the table at {@code path} to {@code visitor}, with only {@code columns}
   * (every column when null) and skipping the files whose statistics rule {@code filter} out (none
   * when null; rows of a file read are not filtered: the visitor must test them). A row is a view
   * of Kernel's batch, valid only during the call. Nothing is visited when no Delta table is there
   * (yet).
   */
  void scan(String path, List<String> columns, Predicate filter, Consumer<Row> visitor) {
    Optional<Snapshot> latest = snapshot(path);
    if (latest.isEmpty()) {
      return;
    }
    Snapshot snapshot = latest.get();
    StructType readSchema =
        columns == null ? null : select(snapshot.getSchema(engine), columns, path);
    read(path, snapshot, readSchema, filter, visitor);
  }

  /**
   * The rows of the table at {@code path} as of {@code version} whose {@code column} equals {@code
   * key}, each with {@code column} and {@code columns}, as the Java values Spark returns. The scan
   * carries the equality as a filter, so Kernel skips the files whose min/max statistics of {@code
   * column} exclude the key (and partitions, when {@code column} partitions the table); a file it
   * reads may still hold other keys, so every row is checked here too.
   *
   * @param key a {@link Long} for a whole-number column, a {@link String} for a text column
   * @throws IllegalArgumentException when the table has no such column or the key's kind does not
   *     match its type
   */
  List<Map<String, Object>> rowsWhere(
      String path, long version, String column, Object key, Collection<String> columns) {
    Snapshot snapshot = Table.forPath(engine, path).getSnapshotAsOfVersion(engine, version);
    StructType schema = snapshot.getSchema(engine);
    Set<String> names = new LinkedHashSet<>();
    names.add(column);
    names.addAll(columns);
    StructType readSchema = new StructType();
    for (String name : names) {
      if (schema.indexOf(name) < 0) {
        throw new IllegalArgumentException(
            String.format(
                "The Delta table %s has no column '%s' at version %d.", path, name, version));
      }
      readSchema = readSchema.add(schema.get(name));
    }
    Optional<Literal> literal = KeyLiteral.of(schema.get(column).getDataType(), key);
    if (literal.isEmpty()) {
      return List.of(); // e.g. a bigint key outside an int column's range: no row can match
    }
    List<Map<String, Object>> out = new ArrayList<>();
    read(
        path,
        snapshot,
        readSchema,
        new Predicate("=", new Column(column), literal.get()),
        row -> {
          Map<String, Object> values = KernelRow.copyOf(row).values();
          if (KeyLiteral.matches(values.get(column), key)) {
            out.add(values);
          }
        });
    return out;
  }

  /**
   * Hands each live row of {@code snapshot} to {@code visitor}, with {@code readSchema}'s columns
   * (all when null), skipping the files whose statistics rule {@code filter} out (none when null).
   * Kernel's documented read loop: its public API has no single call that reads a scan's data.
   */
  private void read(
      String path,
      Snapshot snapshot,
      StructType readSchema,
      Predicate filter,
      Consumer<Row> visitor) {
    ScanBuilder builder = snapshot.getScanBuilder(engine);
    if (readSchema != null) {
      builder = builder.withReadSchema(engine, readSchema);
    }
    if (filter != null) {
      builder = builder.withFilter(engine, filter);
    }
    Scan scan = builder.build();
    Row scanState = scan.getScanState(engine);
    StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> scanFiles = files.next().getRows()) {
          while (scanFiles.hasNext()) {
            readFile(scanState, scanFiles.next(), physicalSchema, visitor);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Delta table " + path, e);
    }
  }

  /** The predicate {@code model_name = model}, for Kernel's skipping of files by statistics. */
  static Predicate modelIs(String model) {
    return new Predicate("=", new Column(WarehouseTable.MODEL_NAME), Literal.ofString(model));
  }

  private static StructType select(StructType schema, List<String> columns, String path) {
    List<StructField> fields = new ArrayList<>();
    for (String column : columns) {
      if (!schema.fieldNames().contains(column)) {
        throw new IllegalStateException(
            "Cannot read column "
                + column
                + " of the Delta table "
                + path
                + ": it has only "
                + schema.fieldNames());
      }
      fields.add(schema.get(column));
    }
    return new StructType(fields);
  }

  private Optional<Snapshot> snapshot(String path) {
    try {
      return Optional.of(Table.forPath(engine, path).getLatestSnapshot(engine));
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }

  private void readFile(
      Row scanState, Row scanFile, StructType physicalSchema, Consumer<Row> visitor)
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
            visitor.accept(rows.next());
          }
        }
      }
    }
  }
}
