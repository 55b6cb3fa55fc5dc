package io.nightjar.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * A table's columns in table order, each declared once with its name, type, nullability and the
 * value a record of type {@code R} gives it: the table's schema and the rows it writes come from
 * the one declaration, so they cannot fall out of order. Built once, in the owner's static
 * initializer; not thread-safe while it is being built.
 */
public final class RowLayout<R> {
  private StructType schema = new StructType();
  private final List<Function<? super R, ?>> values = new ArrayList<>();

  /** Adds a column that never holds null. */
  public RowLayout<R> required(String name, DataType type, Function<? super R, ?> value) {
    return add(name, type, false, value);
  }

  /** Adds a column that may hold null. */
  public RowLayout<R> nullable(String name, DataType type, Function<? super R, ?> value) {
    return add(name, type, true, value);
  }

  private RowLayout<R> add(
      String name, DataType type, boolean nullable, Function<? super R, ?> value) {
    schema = schema.add(name, type, nullable);
    values.add(value);
    return this;
  }

  /** The columns as a Spark schema, in the order they were added. */
  public StructType schema() {
    return schema;
  }

  /** {@code record}'s row: each column's value in {@link #schema()}'s order. */
  public Row row(R record) {
    Object[] row = new Object[values.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = values.get(i).apply(record);
    }
    return RowFactory.create(row);
  }
}
