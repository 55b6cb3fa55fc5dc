package io.nightjar.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Turns Spark rows into plain Java values (lists, maps, nested maps for structs) for {@link
 * RowPrinter}.
 */
final class SparkRows {
  private SparkRows() {}

  static List<List<Object>> values(List<Row> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (Row row : rows) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        values.add(plain(row.get(i)));
      }
      out.add(values);
    }
    return out;
  }

  static Object plain(Object value) {
    if (value instanceof Row row) {
      Map<String, Object> out = new LinkedHashMap<>();
      String[] names = row.schema() == null ? null : row.schema().fieldNames();
      for (int i = 0; i < row.length(); i++) {
        out.put(names == null ? "_" + (i + 1) : names[i], plain(row.get(i)));
      }
      return out;
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      JavaConverters.mapAsJavaMap(map).forEach((k, v) -> out.put(plain(k), plain(v)));
      return out;
    }
    if (value instanceof Seq<?> seq) {
      List<Object> out = new ArrayList<>();
      JavaConverters.seqAsJavaList(seq).forEach(v -> out.add(plain(v)));
      return out;
    }
    return value;
  }
}
