package io.nightjar.lookup;

import static org.apache.spark.sql.functions.col;

import io.nightjar.data.Columns;
import io.nightjar.scoring.PredictionTable;
import io.nightjar.spark.DeltaVersions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The in-memory copy of one model's {@code _current} rows that the HTTP lookup answers from. {@link
 * #snapshot()} is a volatile read of an immutable {@link PredictionSnapshot}: a request never waits
 * for Spark and never sees a half-loaded cache. {@link #refresh()} (called by one background
 * thread) reads the prediction table at its latest Delta version when that differs from the loaded
 * one (asking {@link DeltaVersions}, which starts no Spark job: the check runs every few seconds
 * while requests are answered), builds a new snapshot beside the old, then swaps it in.
 */
public final class PredictionCache {
  private final SparkSession spark;
  private final ServedModel model;
  private final DeltaVersions versions;
  private final AtomicReference<PredictionSnapshot> current;
  private volatile Instant loadedAt = Instant.now();

  /**
   * @param versions how {@link #refresh()} learns the table's latest version without a Spark job
   */
  public PredictionCache(SparkSession spark, ServedModel model, DeltaVersions versions) {
    this.spark = spark;
    this.model = model;
    this.versions = versions;
    this.current = new AtomicReference<>(PredictionSnapshot.empty(IdType.STRING, false));
  }

  public ServedModel model() {
    return model;
  }

  /** The snapshot requests read now. */
  public PredictionSnapshot snapshot() {
    return current.get();
  }

  /** When the current snapshot was swapped in (when this cache was made, before any load). */
  public Instant loadedAt() {
    return loadedAt;
  }

  /**
   * Loads the table's latest version if it is not the one loaded; returns true when a new snapshot
   * was swapped in. Runs Spark jobs; on failure the old snapshot stays.
   *
   * @throws IllegalStateException when the table's id column has a type the cache cannot hold
   */
  public boolean refresh() {
    long version = latestVersion();
    if (version == current.get().tableVersion()) {
      return false;
    }
    swap(load(version));
    return true;
  }

  /** Serves {@code snapshot} from now on (package-private: tests build snapshots by hand). */
  void swap(PredictionSnapshot snapshot) {
    current.set(snapshot);
    loadedAt = Instant.now();
  }

  /** The latest Delta version of the prediction table, or -1 while it does not exist. */
  long latestVersion() {
    return versions.latest(model.location());
  }

  private PredictionSnapshot load(long version) {
    if (version < 0) {
      return PredictionSnapshot.empty(IdType.STRING, false);
    }
    Dataset<Row> table =
        PredictionTable.ofModel(
            spark.read().format("delta").option("versionAsOf", version).load(model.location()),
            model.name());
    StructType schema = table.schema();
    IdType idType = IdType.of(schema.apply(model.idColumn()).dataType());
    if (idType == null) {
      throw new IllegalStateException(
          String.format(
              "Cannot serve model '%s': its id column '%s' has type %s; the lookup holds whole-number and string ids.",
              model.name(),
              model.idColumn(),
              schema.apply(model.idColumn()).dataType().simpleString()));
    }
    boolean withProbability = Arrays.asList(schema.fieldNames()).contains(Columns.PROBABILITY);
    List<Column> columns = new ArrayList<>(List.of(col(model.idColumn()), col(Columns.PREDICTION)));
    if (withProbability) {
      columns.add(col(Columns.PROBABILITY));
    }
    columns.addAll(
        List.of(
            col(PredictionTable.MODEL_VERSION),
            col(PredictionTable.SCORED_AT),
            col(PredictionTable.VALID_UNTIL)));
    Dataset<Row> rows =
        PredictionTable.latestPerEntity(table, model.idColumn())
            .select(columns.toArray(Column[]::new))
            .orderBy(col(model.idColumn()));
    PredictionSnapshot.Builder builder =
        new PredictionSnapshot.Builder(idType, version, withProbability);
    // One partition at a time on the driver: the cache's arrays are the only full copy.
    Iterator<Row> it = rows.toLocalIterator();
    int next = withProbability ? 3 : 2;
    while (it.hasNext()) {
      Row row = it.next();
      Double probability = withProbability && !row.isNullAt(2) ? row.getDouble(2) : null;
      builder.add(
          row.get(0),
          row.getDouble(1),
          probability,
          row.getInt(next),
          row.getTimestamp(next + 1).toInstant(),
          row.getTimestamp(next + 2).toInstant());
    }
    return builder.build();
  }
}
