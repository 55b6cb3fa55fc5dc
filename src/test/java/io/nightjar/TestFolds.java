package io.nightjar;

import io.nightjar.data.Splits;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Folds for tests of the search, as a trainer would give them. */
public final class TestFolds {
  private TestFolds() {}

  /**
   * The tuning rows of {@code rows} (which have an {@code id} and the label under its working
   * name): a fifth held out by id, the rest in two folds (seed 11), cached.
   */
  public static Dataset<Row> twoFolds(Dataset<Row> rows) {
    return Splits.of(rows, "id", null, 0.2, 2, 11L).tuning().cache();
  }
}
