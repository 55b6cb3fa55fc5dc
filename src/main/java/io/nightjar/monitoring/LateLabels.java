package io.nightjar.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;

import io.nightjar.config.Metric;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * How {@code evaluate} judges a model on labels that arrive after its predictions: which prediction
 * a label is compared with, and when the result is an alert.
 */
public final class LateLabels {
  /** The column of the labels frame that identifies the entity. */
  public static final String ID = "__id";

  private static final String LABEL_ROW = "__label_row";
  private static final String RANK = "__rank";

  private LateLabels() {}

  /**
   * The point-in-time join: each row of {@code labels} (an entity id in {@link #ID}, the label,
   * ...) with the latest of {@code predictions} for its entity, i.e. the prediction that was in
   * effect when the outcome happened. {@code predictions} must hold only predictions scored before
   * the labels' date; {@code newestFirst} orders one entity's predictions, newest first. A label
   * without an earlier prediction drops out.
   */
  public static Dataset<Row> withPredictionInEffect(
      Dataset<Row> labels, Dataset<Row> predictions, String predictionId, Column... newestFirst) {
    Dataset<Row> numbered = labels.withColumn(LABEL_ROW, monotonically_increasing_id());
    return numbered
        .join(predictions, numbered.col(ID).equalTo(predictions.col(predictionId)))
        .withColumn(RANK, row_number().over(Window.partitionBy(LABEL_ROW).orderBy(newestFirst)))
        .where(col(RANK).equalTo(1));
  }

  /**
   * The degradation rule: true when {@code value} is worse than {@code holdout} (the version's
   * holdout value of the metric) by more than {@code factor} ({@code
   * monitoring.degradation_factor}). Never without a holdout value or for NaN.
   */
  public static boolean degraded(Metric metric, double value, Double holdout, double factor) {
    if (holdout == null || Double.isNaN(value)) {
      return false;
    }
    return metric.isBetter(metric.worseBy(holdout, factor), value);
  }
}
