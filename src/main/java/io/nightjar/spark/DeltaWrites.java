package io.nightjar.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Delta writes that Nightjar's tables share. */
public final class DeltaWrites {
  private DeltaWrites() {}

  /**
   * Replaces the rows of the Delta table at {@code location} that match {@code predicate} with
   * {@code rows}, in one commit (Delta's {@code replaceWhere} overwrite; a row of {@code rows}
   * outside the predicate fails the write). Readers see either the old rows or the new ones, and a
   * rerun replaces instead of duplicating. Retried by {@link DeltaRetry} when a concurrent writer
   * wins; {@code what} names the write in its error ("write ...").
   */
  public static void replaceWhere(
      String what, Dataset<Row> rows, String location, String predicate) {
    DeltaRetry.run(
        what,
        () ->
            rows.write()
                .format("delta")
                .mode("overwrite")
                .option("replaceWhere", predicate)
                .save(location));
  }
}
