package io.nightjar.model.estimators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/** The weighted τ-quantile of a column, computed exactly with Spark. */
final class WeightedQuantile {
  private WeightedQuantile() {}

  /**
   * The smallest value v of {@code value} such that the rows with {@code value ≤ v} hold at least τ
   * of the total weight. NaN when there are no rows or no weight.
   */
  static double of(Dataset<Row> rows, String value, String weight, double tau) {
    Row totals = rows.agg(sum(col(weight))).first();
    if (totals.isNullAt(0) || totals.getDouble(0) <= 0) {
      return Double.NaN;
    }
    double threshold = tau * totals.getDouble(0);
    // One ordered window over all rows: fine for the residuals of a training set, and exact
    // (approxQuantile is neither weighted nor exact).
    WindowSpec upTo =
        Window.orderBy(col(value)).rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Row found =
        rows.withColumn("__cumulative_weight", sum(col(weight)).over(upTo))
            .where(col("__cumulative_weight").geq(threshold))
            .agg(min(col(value)))
            .first();
    return found.isNullAt(0) ? Double.NaN : found.getDouble(0);
  }
}
