package io.nightjar.registry;

import java.util.List;
import java.util.Map;

/**
 * One row of a Nightjar table (the registry's, or the monitoring tables {@code status} reads),
 * whoever read it: Spark ({@link SparkTableRow}) or Delta Kernel (io.nightjar.kernel). Values are
 * plain Java: {@code String}, {@code Integer}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code java.sql.Timestamp} and {@code java.sql.Date} (as Spark returns them), Java maps and
 * lists. The conversions from a row to a record ({@link ModelVersionsTable#fromRow}, {@link
 * ModelEventsTable#fromRow}, and {@code status}'s judgement) work on this, so that both readers
 * build the same records in one place.
 */
public interface TableRow {
  /** The value of {@code column}, null when it is null. */
  <T> T get(String column);

  /** The map in {@code column}. */
  <K, V> Map<K, V> map(String column);

  /** The array in {@code column}. */
  <T> List<T> list(String column);
}
