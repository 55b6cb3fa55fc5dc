package io.nightjar.online;

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
}
