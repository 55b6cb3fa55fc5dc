package io.nightjar.registry;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/** A collected Spark row as a {@link TableRow}. */
public record SparkTableRow(Row row) implements TableRow {
  @Override
  public <T> T get(String column) {
    int index = row.fieldIndex(column);
    return row.isNullAt(index) ? null : row.getAs(index);
  }

  @Override
  public <K, V> Map<K, V> map(String column) {
    return row.getJavaMap(row.fieldIndex(column));
  }

  @Override
  public <T> List<T> list(String column) {
    return row.getList(row.fieldIndex(column));
  }
}
