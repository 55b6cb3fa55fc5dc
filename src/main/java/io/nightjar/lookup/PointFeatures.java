package io.nightjar.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nightjar.spark.DeltaPointReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The features of a model's entities read by id from its Delta source, all at one pinned version:
 * for a source too large to hold in memory ({@code serve.features_memory}). {@link #find} reads the
 * id's rows in the request (a {@link DeltaPointReader}, no Spark job) and keeps the newest, by the
 * rule {@link FeatureCache} builds its snapshots with: the largest {@code data.time}, a row with a
 * time before one without, any one of them when the source has no time column. The answer, "no row"
 * included, is kept in a bounded cache: the version never changes, so an entry never goes stale,
 * and a new version of the source is a new {@code PointFeatures}. Thread-safe; two requests for one
 * id that is not kept yet both read it (with the same answer).
 */
public final class PointFeatures implements EntityFeatures {
  private final DeltaPointReader reader;
  private final String path;
  private final long sourceVersion;
  private final IdType idType;
  private final String idColumn;
  private final String timeColumn;
  private final Map<String, FeatureSnapshot.Kind> kinds;
  private final List<String> read;
  private final String why;
  private final Cache<Object, Optional<Map<String, Object>>> rows;

  /**
   * @param path where the Delta table lies
   * @param timeColumn the column whose largest value marks an id's newest row, or null for any row
   * @param kinds the feature columns to give, by name, in order, and how each is held
   * @param cacheEntries how many ids' rows to keep ({@code serve.cache_entries}); 0 keeps none
   * @param why why the source is read by id, for {@link #describe()}
   */
  PointFeatures(
      DeltaPointReader reader,
      String path,
      long sourceVersion,
      IdType idType,
      String idColumn,
      String timeColumn,
      Map<String, FeatureSnapshot.Kind> kinds,
      long cacheEntries,
      String why) {
    this.reader = reader;
    this.path = path;
    this.sourceVersion = sourceVersion;
    this.idType = idType;
    this.idColumn = idColumn;
    this.timeColumn = timeColumn;
    this.kinds = Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
    List<String> columns = new ArrayList<>(kinds.keySet());
    if (timeColumn != null && !kinds.containsKey(timeColumn)) {
      columns.add(timeColumn);
    }
    this.read = List.copyOf(columns);
    this.why = why;
    this.rows = Caffeine.newBuilder().maximumSize(cacheEntries).build();
  }

  @Override
  public long sourceVersion() {
    return sourceVersion;
  }

  @Override
  public IdType idType() {
    return idType;
  }

  @Override
  public List<String> columns() {
    return List.copyOf(kinds.keySet());
  }

  @Override
  public Optional<Map<String, Object>> find(Object id) {
    Optional<Map<String, Object>> kept = rows.getIfPresent(id);
    if (kept != null) {
      return kept;
    }
    // Read outside the cache: a read takes from milliseconds to seconds, and a computation inside
    // Caffeine would hold up other ids of the same hash bin meanwhile.
    Optional<Map<String, Object>> read = readNewest(id);
    rows.put(id, read);
    return read;
  }

  @Override
  public String describe() {
    return "features read by id at each request (" + why + ")";
  }

  private Optional<Map<String, Object>> readNewest(Object id) {
    Map<String, Object> newest = null;
    for (Map<String, Object> row : reader.rowsWhere(path, sourceVersion, idColumn, id, read)) {
      if (newest == null || newer(row, newest)) {
        newest = row;
      }
    }
    if (newest == null) {
      return Optional.empty();
    }
    Map<String, Object> out = new HashMap<>(kinds.size() * 2);
    for (Map.Entry<String, FeatureSnapshot.Kind> column : kinds.entrySet()) {
      out.put(column.getKey(), column.getValue().held(newest.get(column.getKey())));
    }
    return Optional.of(Collections.unmodifiableMap(out));
  }

  /**
   * True when {@code row} comes before {@code than} in Spark's descending order of the time column,
   * where nulls come last. Both values are of the column's one type, so they compare as Java
   * compares them (timestamps, dates, numbers; text by UTF-16 unit, which differs from Spark's byte
   * order only for characters beyond the Basic Multilingual Plane).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private boolean newer(Map<String, Object> row, Map<String, Object> than) {
    if (timeColumn == null) {
      return false;
    }
    Object time = row.get(timeColumn);
    Object other = than.get(timeColumn);
    if (time == null) {
      return false;
    }
    return other == null || ((Comparable) time).compareTo(other) > 0;
  }
}
