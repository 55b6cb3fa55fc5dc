package io.nightjar.online;

/**
 * The values of one row while a compiled pipeline scores it: one slot per column the pipeline reads
 * or writes, holding what a Spark row would hold (a boxed number of the column's type, a String, a
 * Spark ML {@code Vector}, or null). Created for each {@link RowScorer#score} call and used by that
 * call's thread only, so it needs no locking.
 */
public final class RowState {
  private final Object[] values;

  RowState(int columns) {
    values = new Object[columns];
  }

  /** The value of {@code column}, null when missing. */
  public Object get(RowColumn column) {
    return values[column.slot()];
  }

  /** Sets {@code column}'s value (a later stage may overwrite it, as Spark's withColumn does). */
  public void set(RowColumn column, Object value) {
    values[column.slot()] = value;
  }
}
