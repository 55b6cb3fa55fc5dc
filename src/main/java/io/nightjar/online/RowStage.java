package io.nightjar.online;

import java.util.List;

/**
 * One compiled pipeline stage: reads its input columns from a row and writes its outputs, as the
 * stage's {@code transform} does for every row of a frame. Implementations hold only values read at
 * compile time and never start a Spark job, so they are safe to call from many threads at once.
 */
@FunctionalInterface
public interface RowStage {
  /**
   * Transforms {@code row} in place.
   *
   * @throws RowInputException when the batch path would fail (or drop the row) on this row's
   *     values; the exception names the raw feature the offending value came from
   */
  void apply(RowState row);

  /**
   * Transforms each row of a batch in place, as {@link #apply} on each would. An engine with a
   * fixed cost per call overrides it to make one call for the batch.
   *
   * @throws RowInputException as {@link #apply}, with the index of the refused row
   */
  default void applyAll(List<RowState> rows) {
    for (int i = 0; i < rows.size(); i++) {
      try {
        apply(rows.get(i));
      } catch (RowInputException e) {
        throw e.inRow(i);
      }
    }
  }
}
