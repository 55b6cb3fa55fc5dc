package io.nightjar.lookup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The features of every entity of one model at one version of its features source: immutable, safe
 * to read from any number of threads. Columnar, like {@link PredictionSnapshot}: ids sorted ({@link
 * SortedIds}), numbers in a {@code double[]}, whole numbers in a {@code long[]}, text as an {@code
 * int[]} of codes into the column's distinct values (categorical levels repeat), booleans and nulls
 * in bit sets. {@link #find} gives a row as the row scorer reads it: {@link Double}, {@link Long},
 * {@link Boolean}, {@link String} or null per feature.
 */
public final class FeatureSnapshot implements EntityFeatures {
  /** How a column is held: the Java type of its values in {@link #find}. */
  public enum Kind {
    /** Floating-point (and decimal) columns: {@link Double}. */
    NUMBER,
    /** Byte, short, int and bigint columns: {@link Long}. */
    INTEGER,
    /** Boolean columns: {@link Boolean}. */
    BOOLEAN,
    /** String columns: {@link String}. */
    STRING;

    /**
     * {@code value} (as Spark's {@code Row} or Delta Kernel gives it for a column of this kind) as
     * {@link FeatureSnapshot#find} returns it; null stays null.
     */
    public Object held(Object value) {
      if (value == null) {
        return null;
      }
      return switch (this) {
        case NUMBER -> ((Number) value).doubleValue();
        case INTEGER -> ((Number) value).longValue();
        case BOOLEAN -> (Boolean) value;
        case STRING -> (String) value;
      };
    }
  }

  private final long sourceVersion;
  private final SortedIds ids;
  private final String[] names;
  private final Column[] columns;

  private FeatureSnapshot(Builder b) {
    this.sourceVersion = b.sourceVersion;
    this.ids = b.ids.build();
    this.names = b.names.toArray(String[]::new);
    this.columns = new Column[b.columns.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = b.columns.get(i).build(ids.size());
    }
  }

  @Override
  public long sourceVersion() {
    return sourceVersion;
  }

  @Override
  public IdType idType() {
    return ids.idType();
  }

  public int size() {
    return ids.size();
  }

  @Override
  public List<String> columns() {
    return List.of(names);
  }

  @Override
  public Optional<Map<String, Object>> find(Object id) {
    int row = ids.indexOf(id);
    if (row < 0) {
      return Optional.empty();
    }
    Map<String, Object> out = new HashMap<>(names.length * 2);
    for (int c = 0; c < names.length; c++) {
      out.put(names[c], columns[c].get(row));
    }
    return Optional.of(out);
  }

  @Override
  public String describe() {
    return size() + " entities' features in memory";
  }

  /**
   * The estimated heap of this snapshot in bytes: its arrays plus, for text, every distinct value
   * and id string once. The figure {@code serve.features_memory} is compared with.
   */
  public long estimatedBytes() {
    long total = ids.bytes();
    for (Column column : columns) {
      total += column.bytes();
    }
    return total;
  }

  /** One held column. */
  private record Column(
      Kind kind,
      double[] numbers,
      long[] wholes,
      BitSet flags,
      int[] codes,
      String[] levels,
      BitSet nulls) {
    Object get(int row) {
      if (kind == Kind.STRING) {
        return codes[row] < 0 ? null : levels[codes[row]];
      }
      if (nulls.get(row)) {
        return null;
      }
      return switch (kind) {
        case NUMBER -> numbers[row];
        case INTEGER -> wholes[row];
        default -> flags.get(row);
      };
    }

    long bytes() {
      long total = nulls == null ? 0 : nulls.size() / 8;
      total += flags != null ? flags.size() / 8 : 0;
      total += numbers != null ? 8L * numbers.length : 0;
      total += wholes != null ? 8L * wholes.length : 0;
      total += codes != null ? 4L * codes.length : 0;
      if (levels != null) {
        for (String level : levels) {
          total += SortedIds.stringBytes(level);
        }
      }
      return total;
    }
  }

  /** Collects one column's values in row order. */
  private static final class ColumnBuilder {
    private final Kind kind;
    private final BitSet nulls = new BitSet();
    private final BitSet flags = new BitSet();
    private final Map<String, Integer> levelIndex = new LinkedHashMap<>();
    private double[] numbers;
    private long[] wholes;
    private int[] codes;
    private int size;

    ColumnBuilder(Kind kind) {
      this.kind = kind;
      switch (kind) {
        case NUMBER -> numbers = new double[1024];
        case INTEGER -> wholes = new long[1024];
        case STRING -> codes = new int[1024];
        case BOOLEAN -> {}
      }
    }

    void add(Object value) {
      if (size == capacity()) {
        grow();
      }
      if (kind == Kind.STRING) {
        codes[size] =
            value == null ? -1 : levelIndex.computeIfAbsent((String) value, v -> levelIndex.size());
      } else if (value == null) {
        nulls.set(size);
      } else if (kind == Kind.NUMBER) {
        numbers[size] = ((Number) value).doubleValue();
      } else if (kind == Kind.BOOLEAN) {
        flags.set(size, (Boolean) value);
      } else {
        wholes[size] = ((Number) value).longValue();
      }
      size++;
    }

    private int capacity() {
      return switch (kind) {
        case NUMBER -> numbers.length;
        case INTEGER -> wholes.length;
        case STRING -> codes.length;
        case BOOLEAN -> Integer.MAX_VALUE; // bit sets grow by themselves
      };
    }

    private void grow() {
      int capacity = size * 2;
      switch (kind) {
        case NUMBER -> numbers = Arrays.copyOf(numbers, capacity);
        case INTEGER -> wholes = Arrays.copyOf(wholes, capacity);
        case STRING -> codes = Arrays.copyOf(codes, capacity);
        case BOOLEAN -> {}
      }
    }

    Column build(int rows) {
      return new Column(
          kind,
          numbers == null ? null : Arrays.copyOf(numbers, rows),
          wholes == null ? null : Arrays.copyOf(wholes, rows),
          kind == Kind.BOOLEAN ? (BitSet) flags.clone() : null,
          codes == null ? null : Arrays.copyOf(codes, rows),
          kind == Kind.STRING ? levelIndex.keySet().toArray(String[]::new) : null,
          kind == Kind.STRING ? null : (BitSet) nulls.clone());
    }
  }

  /**
   * Collects rows in ascending id order; {@link #build()} makes the immutable snapshot. Not
   * thread-safe.
   */
  public static final class Builder {
    private final long sourceVersion;
    private final SortedIds.Builder ids;
    private final List<String> names = new ArrayList<>();
    private final List<ColumnBuilder> columns = new ArrayList<>();

    /** {@code kinds}: the feature columns to hold, by name, in order. */
    public Builder(IdType idType, long sourceVersion, Map<String, Kind> kinds) {
      this.sourceVersion = sourceVersion;
      this.ids = new SortedIds.Builder(idType, "features");
      kinds.forEach(
          (name, kind) -> {
            names.add(name);
            columns.add(new ColumnBuilder(kind));
          });
    }

    /**
     * Adds the next entity; ids must come strictly ascending, {@code values} in the order of the
     * columns given to the constructor.
     *
     * @throws IllegalStateException when ids repeat or come out of order
     */
    public Builder add(Object id, Object... values) {
      ids.add(id);
      for (int c = 0; c < values.length; c++) {
        columns.get(c).add(values[c]);
      }
      return this;
    }

    public FeatureSnapshot build() {
      return new FeatureSnapshot(this);
    }
  }
}
