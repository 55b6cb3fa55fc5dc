package io.nightjar.online;

import static java.util.Objects.requireNonNull;

import org.apache.spark.sql.types.DataType;

/**
 * A column of a compiled pipeline's rows: its name, its slot in a {@link RowState}, its Spark type
 * (Spark ML's {@code VectorUDT} for vectors), the size of a vector column (-1 when it is not known
 * or not a vector), and the raw feature its values come from (for error messages; null when it
 * derives from several).
 */
public record RowColumn(String name, int slot, DataType type, int size, String feature) {
  public RowColumn {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }

  /** The raw feature to name in an error about this column's value: its feature, else its name. */
  public String featureName() {
    return feature == null ? name : feature;
  }
}
