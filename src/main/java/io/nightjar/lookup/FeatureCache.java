package io.nightjar.lookup;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import io.nightjar.config.ConfigException;
import io.nightjar.config.SourceSpec;
import io.nightjar.data.SourceReader;
import io.nightjar.data.SourceSnapshot;
import io.nightjar.spark.DeltaPointReader;
import io.nightjar.spark.DeltaVersions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * The in-memory features of one model (its spec's {@code serving.features}) that on-demand scoring
 * reads by id. {@link #snapshot()} is a volatile read of an immutable {@link FeatureSnapshot};
 * {@link #refresh} (called by one background thread, never in a request) reads the source with
 * Spark at its latest Delta version when that or the wanted columns differ from the loaded ones,
 * builds a new snapshot beside the old, then swaps it in. An id that occurs more than once keeps
 * its newest row by the spec's {@code data.time} column when the source has it (else one of its
 * rows). Before collecting, the snapshot's size is estimated; above {@code serve.features_memory}
 * the source is not held: a Delta source is then read by id in each request, at the version this
 * cache tracks ({@link PointFeatures}), and any other source is refused with {@link #problem()}
 * saying why.
 */
public final class FeatureCache {
  /** The key that names the source in errors. */
  public static final String KEY = "serving.features";

  private final SparkSession spark;
  private final DeltaVersions versions;
  private final String model;
  private final SourceSpec source;
  private final String idColumn;
  private final String timeColumn;
  private final long memoryLimit;
  private final DeltaPointReader pointReader;
  private final long pointCacheEntries;
  private volatile EntityFeatures features;
  private volatile StructType schema;
  private volatile String problem;
  private long attemptedVersion = Long.MIN_VALUE;
  private Set<String> attemptedColumns = Set.of();

  /**
   * @param timeColumn the spec's {@code data.time}, or null
   * @param memoryLimit {@code serve.features_memory} in bytes
   * @param pointReader reads a Delta source above {@code memoryLimit} by id
   * @param pointCacheEntries how many ids' rows the point reads keep ({@code serve.cache_entries})
   */
  public FeatureCache(
      SparkSession spark,
      String model,
      SourceSpec source,
      String idColumn,
      String timeColumn,
      long memoryLimit,
      DeltaVersions versions,
      DeltaPointReader pointReader,
      long pointCacheEntries) {
    this.spark = spark;
    this.versions = versions;
    this.model = model;
    this.source = source;
    this.idColumn = idColumn;
    this.timeColumn = timeColumn;
    this.memoryLimit = memoryLimit;
    this.pointReader = pointReader;
    this.pointCacheEntries = pointCacheEntries;
  }

  /**
   * The features requests read now, held in memory or read by id; null until the first load
   * succeeded.
   */
  public EntityFeatures features() {
    return features;
  }

  /** The features requests read now when they are held in memory, else null. */
  public FeatureSnapshot snapshot() {
    return features instanceof FeatureSnapshot held ? held : null;
  }

  /** The source's columns and types as last read; null before the first {@link #refresh}. */
  public StructType schema() {
    return schema;
  }

  /** Why the features are not (or no longer) held as the source is now; null when they are. */
  public String problem() {
    return problem;
  }

  public SourceSpec source() {
    return source;
  }

  /**
   * The source's latest Delta version, or null when it is not Delta: the catalog says where the
   * table lies and {@link DeltaVersions} reads its log without a Spark job (this runs every few
   * seconds beside the requests).
   */
  private Long latestVersion(String path) {
    if (path == null) {
      return null;
    }
    long latest = versions.latest(path);
    ConfigException.check(
        latest >= 0, "Invalid value for '%s': '%s' is not a Delta table.", KEY, path);
    return latest;
  }

  /**
   * Loads the source's latest version with the {@code wanted} columns (those of them the source
   * has) unless that is what is loaded, or what was last refused; returns true when new features (a
   * snapshot, or point reads pinned to the new version) were swapped in. Runs Spark jobs. On
   * failure or refusal the old features stay and {@link #problem()} says why.
   */
  public synchronized boolean refresh(Collection<String> wanted) {
    Set<String> columns = new LinkedHashSet<>(wanted);
    try {
      String path = new SourceReader(spark).deltaPath(KEY, source).orElse(null);
      Long latest = latestVersion(path);
      long version = latest == null ? -1 : latest;
      if (version == attemptedVersion && attemptedColumns.containsAll(columns)) {
        return false;
      }
      attemptedVersion = version;
      attemptedColumns = columns;
      EntityFeatures loaded = load(path, latest, columns);
      if (loaded == null) {
        return false;
      }
      features = loaded;
      problem = null;
      return true;
    } catch (RuntimeException e) {
      // Retried at the next refresh: the cause may pass (a file being replaced, a busy store).
      attemptedVersion = Long.MIN_VALUE;
      problem =
          String.format(
              "Cannot load the features of model '%s' from %s: %s",
              model, source.describe(), e.getMessage());
      throw e;
    }
  }

  /**
   * The features at {@code version}: a snapshot, or point reads above the memory setting; null (and
   * {@link #problem} set) when refused.
   */
  private EntityFeatures load(String path, Long version, Set<String> wanted) {
    SourceSnapshot read = new SourceReader(spark).read(KEY, source, version);
    Dataset<Row> rows = read.rows();
    schema = rows.schema();
    List<String> names = List.of(schema.fieldNames());
    if (!names.contains(idColumn)) {
      problem =
          String.format(
              "Cannot hold the features of model '%s': %s has no id column '%s'.",
              model, source.describe(), idColumn);
      return null;
    }
    IdType idType = IdType.of(schema.apply(idColumn).dataType());
    if (idType == null) {
      problem =
          String.format(
              "Cannot hold the features of model '%s': id column '%s' of %s has type %s; whole"
                  + " numbers and strings are held.",
              model, idColumn, source.describe(), schema.apply(idColumn).dataType().simpleString());
      return null;
    }
    Map<String, FeatureSnapshot.Kind> kinds = new LinkedHashMap<>();
    for (String column : wanted) {
      if (names.contains(column)) {
        FeatureSnapshot.Kind kind = kindOf(schema.apply(column).dataType());
        if (kind != null) {
          kinds.put(column, kind);
        }
      }
    }
    Dataset<Row> latest = latestPerId(rows, names).where(col(idColumn).isNotNull());
    long estimate = estimate(latest, idType, kinds);
    if (estimate > memoryLimit) {
      return overLimit(path, version, idType, kinds, names, estimate, "estimated");
    }
    List<Column> select = new ArrayList<>();
    select.add(col(idColumn));
    kinds.keySet().forEach(c -> select.add(col(c)));
    FeatureSnapshot.Builder builder =
        new FeatureSnapshot.Builder(idType, version == null ? -1 : version, kinds);
    // One partition at a time on the driver: the snapshot's arrays are the only full copy.
    Iterator<Row> it =
        latest.select(select.toArray(Column[]::new)).orderBy(col(idColumn)).toLocalIterator();
    Object[] values = new Object[kinds.size()];
    while (it.hasNext()) {
      Row row = it.next();
      for (int c = 0; c < values.length; c++) {
        values[c] = row.get(c + 1);
      }
      builder.add(row.get(0), values);
    }
    FeatureSnapshot built = builder.build();
    if (built.estimatedBytes() > memoryLimit) {
      return overLimit(path, version, idType, kinds, names, built.estimatedBytes(), "measured");
    }
    return built;
  }

  /**
   * A source above the memory setting: read by id at {@code version} when it is a Delta table, else
   * refused (null, with {@link #problem} set).
   */
  private EntityFeatures overLimit(
      String path,
      Long version,
      IdType idType,
      Map<String, FeatureSnapshot.Kind> kinds,
      List<String> names,
      long bytes,
      String how) {
    if (path == null || version == null) {
      problem = refusal(bytes, how);
      return null;
    }
    String why =
        String.format(
            "%s (%s) needs %s (%s), above serve.features_memory (%s)",
            source.describe(), KEY, mebibytes(bytes), how, mebibytes(memoryLimit));
    return new PointFeatures(
        pointReader,
        path,
        version,
        idType,
        idColumn,
        timeColumn != null && names.contains(timeColumn) ? timeColumn : null,
        kinds,
        pointCacheEntries,
        why);
  }

  private Dataset<Row> latestPerId(Dataset<Row> rows, List<String> names) {
    if (timeColumn == null || !names.contains(timeColumn)) {
      return rows.dropDuplicates(idColumn);
    }
    String rank = "__rank";
    return rows.withColumn(
            rank,
            row_number().over(Window.partitionBy(col(idColumn)).orderBy(col(timeColumn).desc())))
        .where(col(rank).equalTo(1))
        .drop(rank);
  }

  /**
   * The snapshot's size in bytes from one aggregation: rows times the bytes of each held value, the
   * id strings' average length, and every string column's distinct values once.
   */
  private long estimate(Dataset<Row> rows, IdType idType, Map<String, FeatureSnapshot.Kind> kinds) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    aggregates.add(idType.integral() ? lit(0.0) : avg(length(col(idColumn))));
    List<String> strings = new ArrayList<>();
    kinds.forEach(
        (name, kind) -> {
          if (kind == FeatureSnapshot.Kind.STRING) {
            strings.add(name);
            aggregates.add(approx_count_distinct(col(name)).cast("double"));
            aggregates.add(avg(length(col(name))));
          }
        });
    Row stats =
        rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .first();
    long count = stats.getLong(0);
    double idLength = stats.isNullAt(1) ? 0 : stats.getDouble(1);
    long perRow = idType.integral() ? 8 : SortedIds.stringBytes("") + Math.round(idLength);
    long levels = 0;
    for (FeatureSnapshot.Kind kind : kinds.values()) {
      perRow +=
          switch (kind) {
            case STRING -> 4;
            case BOOLEAN -> 1;
            default -> 8;
          };
    }
    for (int i = 0; i < strings.size(); i++) {
      double distinct = stats.isNullAt(2 + 2 * i) ? 0 : stats.getDouble(2 + 2 * i);
      double length = stats.isNullAt(3 + 2 * i) ? 0 : stats.getDouble(3 + 2 * i);
      levels += Math.round(distinct * (SortedIds.stringBytes("") + length));
    }
    return count * perRow + levels;
  }

  private String refusal(long bytes, String how) {
    return String.format(
        "Cannot hold the features of model '%s' in memory: %s (%s) needs %s (%s), above"
            + " serve.features_memory (%s), and only a Delta table can be read by id instead;"
            + " scoring by id on demand is off for this model (request bodies are still scored)."
            + " Raise serve.features_memory and the serve JVM's heap, write the features as a"
            + " Delta table, or see docs/operations.md.",
        model, source.describe(), KEY, mebibytes(bytes), how, mebibytes(memoryLimit));
  }

  private static String mebibytes(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** How a source column is held, or null for a type the row scorer cannot take. */
  static FeatureSnapshot.Kind kindOf(DataType type) {
    if (type instanceof StringType) {
      return FeatureSnapshot.Kind.STRING;
    }
    if (type instanceof ByteType
        || type instanceof ShortType
        || type instanceof IntegerType
        || type instanceof LongType) {
      return FeatureSnapshot.Kind.INTEGER;
    }
    if (type instanceof BooleanType) {
      return FeatureSnapshot.Kind.BOOLEAN;
    }
    if (type instanceof NumericType) {
      return FeatureSnapshot.Kind.NUMBER;
    }
    return null;
  }
}
