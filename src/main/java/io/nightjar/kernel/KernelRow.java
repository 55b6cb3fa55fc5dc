package io.nightjar.kernel;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.nightjar.registry.TableRow;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row read by Delta Kernel, copied into the Java values Spark returns for the same columns, so
 * that the registry's row conversions build equal records. Copied at once: Kernel's rows are views
 * of a batch that the next batch reuses.
 */
final class KernelRow implements TableRow {
  private static final long MICROS_PER_SECOND = 1_000_000L;

  private final Map<String, Object> values;

  private KernelRow(Map<String, Object> values) {
    this.values = values;
  }

  static KernelRow copyOf(Row row) {
    Map<String, Object> values = new HashMap<>();
    for (int i = 0; i < row.getSchema().length(); i++) {
      StructField field = row.getSchema().at(i);
      values.put(field.getName(), row.isNullAt(i) ? null : value(row, i, field.getDataType()));
    }
    return new KernelRow(values);
  }

  /** The row's values by column name; null for a null value. */
  Map<String, Object> values() {
    return Collections.unmodifiableMap(values);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(String column) {
    if (!values.containsKey(column)) {
      throw new IllegalArgumentException("No column " + column + " in " + values.keySet());
    }
    return (T) values.get(column);
  }

  @Override
  public <K, V> Map<K, V> map(String column) {
    return get(column);
  }

  @Override
  public <T> List<T> list(String column) {
    return get(column);
  }

  private static Object value(Row row, int i, DataType type) {
    if (type instanceof StringType) {
      return row.getString(i);
    } else if (type instanceof IntegerType) {
      return row.getInt(i);
    } else if (type instanceof LongType) {
      return row.getLong(i);
    } else if (type instanceof DoubleType) {
      return row.getDouble(i);
    } else if (type instanceof BooleanType) {
      return row.getBoolean(i);
    } else if (type instanceof ByteType) {
      return row.getByte(i);
    } else if (type instanceof ShortType) {
      return row.getShort(i);
    } else if (type instanceof FloatType) {
      return row.getFloat(i);
    } else if (type instanceof DecimalType) {
      return row.getDecimal(i);
    } else if (type instanceof TimestampType) {
      return timestamp(row.getLong(i));
    } else if (type instanceof TimestampNTZType) {
      return localTimestamp(row.getLong(i));
    } else if (type instanceof DateType) {
      return date(row.getInt(i));
    } else if (type instanceof MapType) {
      return map(row.getMap(i), (MapType) type);
    } else if (type instanceof ArrayType array) {
      return list(row.getArray(i), array.getElementType());
    }
    throw new IllegalStateException(
        "Column "
            + row.getSchema().at(i).getName()
            + " has a type Nightjar does not read: "
            + type);
  }

  private static Object element(ColumnVector vector, int i, DataType type) {
    if (vector.isNullAt(i)) {
      return null;
    } else if (type instanceof StringType) {
      return vector.getString(i);
    } else if (type instanceof IntegerType) {
      return vector.getInt(i);
    } else if (type instanceof LongType) {
      return vector.getLong(i);
    } else if (type instanceof DoubleType) {
      return vector.getDouble(i);
    } else if (type instanceof BooleanType) {
      return vector.getBoolean(i);
    }
    throw new IllegalStateException("A map or array holds a type Nightjar does not read: " + type);
  }

  /** Spark's {@code java.sql.Timestamp} of microseconds since the epoch (UTC). */
  static Timestamp timestamp(long micros) {
    return Timestamp.from(
        Instant.ofEpochSecond(
            Math.floorDiv(micros, MICROS_PER_SECOND),
            Math.floorMod(micros, MICROS_PER_SECOND) * 1_000L));
  }

  /** Spark's {@code LocalDateTime} of a timestamp without zone: microseconds since 1970-01-01. */
  private static LocalDateTime localTimestamp(long micros) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(micros, MICROS_PER_SECOND),
        (int) (Math.floorMod(micros, MICROS_PER_SECOND) * 1_000L),
        ZoneOffset.UTC);
  }

  /** Spark's {@code java.sql.Date} of days since the epoch: that local date in this JVM's zone. */
  private static Date date(int days) {
    return Date.valueOf(LocalDate.ofEpochDay(days));
  }

  private static Map<Object, Object> map(MapValue map, MapType type) {
    Map<Object, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < map.getSize(); i++) {
      out.put(
          element(map.getKeys(), i, type.getKeyType()),
          element(map.getValues(), i, type.getValueType()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static List<Object> list(ArrayValue array, DataType elementType) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < array.getSize(); i++) {
      out.add(element(array.getElements(), i, elementType));
    }
    return Collections.unmodifiableList(out);
  }
}
