package io.nightjar.online;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * The columns of a pipeline's rows while it is compiled, stage after stage: what the input schema
 * gives, then what each stage adds. A stage compiler asks here for its inputs (refused when the
 * pipeline would not have them) and declares its outputs. Used by the compiling thread only; the
 * compiled scorer keeps the slots, not this object.
 */
public final class RowColumns {
  private final Map<String, RowColumn> columns = new LinkedHashMap<>();
  private final Set<Integer> read = new HashSet<>();
  private final Map<Integer, StructField> sources = new LinkedHashMap<>();
  private int slots;

  RowColumns() {}

  /**
   * The column {@code name} that {@code stage} reads.
   *
   * @throws UnsupportedStageException when no input or earlier stage gives it
   */
  public RowColumn input(String name, Transformer stage) {
    RowColumn column = columns.get(name);
    if (column == null) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: it reads column '%s', which neither the input"
                  + " schema nor an earlier stage gives; known columns: %s.",
              RowScorers.describe(stage), name, String.join(", ", columns.keySet())));
    }
    StructField source = sources.get(column.slot());
    if (source != null) {
      // Refuses a raw feature of a type no request can carry (decimal, date, ...) by its name.
      FeatureValues.input(source);
    }
    read.add(column.slot());
    return column;
  }

  /** Declares the raw input column of {@code field}, of the type the pipeline sees. */
  RowColumn source(StructField field) {
    RowColumn column = output(field.name(), FeatureValues.modelType(field), field.name());
    sources.put(column.slot(), field);
    return column;
  }

  /** Whether a stage has read {@code column} (an input column the scorer must then read). */
  boolean isRead(RowColumn column) {
    return read.contains(column.slot());
  }

  /** Whether a column named {@code name} exists now. */
  public boolean has(String name) {
    return columns.containsKey(name);
  }

  /**
   * Declares (or replaces, as Spark's withColumn does) the scalar column {@code name} of {@code
   * type}, derived from {@code feature}'s values (null when from several).
   */
  public RowColumn output(String name, DataType type, String feature) {
    return add(name, type, -1, feature);
  }

  /** Declares (or replaces) the vector column {@code name} of {@code size} elements. */
  public RowColumn vector(String name, int size, String feature) {
    return add(name, SQLDataTypes.VectorType(), size, feature);
  }

  private RowColumn add(String name, DataType type, int size, String feature) {
    RowColumn column = new RowColumn(name, slots++, type, size, feature);
    columns.put(name, column);
    return column;
  }

  /** Slots a {@link RowState} of these rows needs. */
  int slots() {
    return slots;
  }

  /** The column {@code name} as it is now, or null. */
  RowColumn find(String name) {
    return columns.get(name);
  }

  /**
   * Refuses {@code stage} at compile when its input {@code column} is not of a type it reads
   * ({@code valid}, e.g. "numeric").
   */
  static void requireType(Transformer stage, RowColumn column, boolean ok, String valid) {
    if (!ok) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: its input '%s' has type %s; it reads %s"
                  + " columns.",
              RowScorers.describe(stage), column.name(), column.type().simpleString(), valid));
    }
  }
}
