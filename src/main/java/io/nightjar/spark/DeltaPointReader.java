package io.nightjar.spark;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads the rows of one key of a Delta table at a given version, without a Spark job: {@code serve}
 * reads the features of one entity this way, in a request, when the whole source is too large to
 * hold in memory. A read lists the files the table's statistics do not rule out and reads those:
 * fast when the table is clustered by the key, a scan of most files when it is not.
 */
@FunctionalInterface
public interface DeltaPointReader {
  /**
   * Every live row of the Delta table at {@code path} as of {@code version} whose {@code column}
   * equals {@code key}, each as column name to value ({@code column} and {@code columns}, with the
   * Java values Spark's {@code Row} holds for their types; null for a null value), in no order.
   *
   * @param key a {@link Long} for a whole-number column, a {@link String} for a text column
   * @throws IllegalArgumentException when the table has no such column at that version, or the
   *     key's kind does not fit the column's type
   */
  List<Map<String, Object>> rowsWhere(
      String path, long version, String column, Object key, Collection<String> columns);
}
