package io.nightjar.train;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.nightjar.config.Metric;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes the metrics of SPEC §5 on a scored frame holding {@link Columns#LABEL}, {@link Columns#PREDICTION}, {@link
 * Columns#PROBABILITY} (classification) and, when weighted, {@link Columns#WEIGHT}. All metrics are weighted means
 * when a weight column is present. Everything but AUC comes from one aggregation pass.
 */
public final class Metrics {
  /** Probabilities are clipped to [EPS, 1 - EPS] for log loss, as scikit-learn does. */
  static final double EPS = 1e-15;

  private Metrics() {}

  /** The metrics recorded for every evaluation of a task; {@code pinball} joins when a quantile is given. */
  public static List<Metric> standard(Task task, Double quantile) {
    if (task == Task.CLASSIFICATION) {
      return List.of(Metric.LOGLOSS, Metric.AUC, Metric.ACCURACY, Metric.F1);
    }
    return quantile == null
        ? List.of(Metric.RMSE, Metric.MAE, Metric.R2)
        : List.of(Metric.RMSE, Metric.MAE, Metric.R2, Metric.PINBALL);
  }

  /** Computes {@code metrics} on {@code scored}; {@code quantile} is τ for pinball (0.5 when null). */
  public static Map<Metric, Double> compute(
      Dataset<Row> scored, List<Metric> metrics, boolean weighted, Double quantile) {
    Column[] aggregates = aggregates(metrics, weighted, quantile);
    Row r = scored.agg(aggregates[0], java.util.Arrays.copyOfRange(aggregates, 1, aggregates.length)).first();
    return values(r, 0, metrics, scored, weighted);
  }

  /**
   * Computes {@code metrics} for each value of the string column {@code group} of {@code scored} in one aggregation
   * pass (AUC, which needs a sort, takes one more pass per group).
   */
  public static Map<String, Map<Metric, Double>> computeByGroup(
      Dataset<Row> scored, String group, List<Metric> metrics, boolean weighted, Double quantile) {
    Column[] aggregates = aggregates(metrics, weighted, quantile);
    Map<String, Map<Metric, Double>> out = new LinkedHashMap<>();
    for (Row r : scored.groupBy(col(group)).agg(aggregates[0],
        java.util.Arrays.copyOfRange(aggregates, 1, aggregates.length)).collectAsList()) {
      String key = r.getString(0);
      out.put(key, values(r, 1, metrics, scored.where(col(group).equalTo(key)), weighted));
    }
    return out;
  }

  private static Column[] aggregates(List<Metric> metrics, boolean weighted, Double quantile) {
    Column w = weighted ? col(Columns.WEIGHT) : lit(1.0);
    Column y = col(Columns.LABEL);
    Column p = col(Columns.PREDICTION);
    Column residual = y.minus(p);
    double tau = quantile == null ? 0.5 : quantile;
    boolean classification = metrics.stream().anyMatch(m -> m.task() == Task.CLASSIFICATION);
    if (classification) {
      Column prob = least(greatest(col(Columns.PROBABILITY), lit(EPS)), lit(1 - EPS));
      Column logLoss = y.multiply(log(prob)).plus(lit(1.0).minus(y).multiply(log(lit(1.0).minus(prob)))).multiply(-1);
      Column truePositive = when(y.equalTo(1.0).and(p.equalTo(1.0)), 1.0).otherwise(0.0);
      Column falsePositive = when(y.equalTo(0.0).and(p.equalTo(1.0)), 1.0).otherwise(0.0);
      Column falseNegative = when(y.equalTo(1.0).and(p.equalTo(0.0)), 1.0).otherwise(0.0);
      return new Column[] {
        sum(w).as("w"),
        sum(w.multiply(logLoss)).as("logloss"),
        sum(w.multiply(when(y.equalTo(p), 1.0).otherwise(0.0))).as("correct"),
        sum(w.multiply(truePositive)).as("tp"),
        sum(w.multiply(falsePositive)).as("fp"),
        sum(w.multiply(falseNegative)).as("fn")
      };
    }
    Column pinball = greatest(residual.multiply(tau), residual.multiply(tau - 1));
    return new Column[] {
      sum(w).as("w"),
      sum(w.multiply(pow(residual, 2))).as("sse"),
      sum(w.multiply(abs(residual))).as("sae"),
      sum(w.multiply(pinball)).as("pinball"),
      sum(w.multiply(y)).as("wy"),
      sum(w.multiply(pow(y, 2))).as("wyy")
    };
  }

  /** The metrics from an aggregate row whose total weight is at {@code weightIndex}. */
  private static Map<Metric, Double> values(
      Row r, int weightIndex, List<Metric> metrics, Dataset<Row> scored, boolean weighted) {
    Map<Metric, Double> out = new LinkedHashMap<>();
    double total = r.isNullAt(weightIndex) ? 0.0 : r.getDouble(weightIndex);
    for (Metric metric : metrics) {
      out.put(metric, total == 0.0 ? Double.NaN : value(metric, r, total, scored, weighted));
    }
    return out;
  }

  /** Computes a single metric. */
  public static double compute(Dataset<Row> scored, Metric metric, boolean weighted, Double quantile) {
    return compute(scored, List.of(metric), weighted, quantile).get(metric);
  }

  private static double value(Metric metric, Row r, double total, Dataset<Row> scored, boolean weighted) {
    return switch (metric) {
      case RMSE -> Math.sqrt(r.<Double>getAs("sse") / total);
      case MAE -> r.<Double>getAs("sae") / total;
      case PINBALL -> r.<Double>getAs("pinball") / total;
      case R2 -> {
        double mean = r.<Double>getAs("wy") / total;
        double sst = r.<Double>getAs("wyy") - total * mean * mean;
        yield sst <= 0 ? Double.NaN : 1.0 - r.<Double>getAs("sse") / sst;
      }
      case LOGLOSS -> r.<Double>getAs("logloss") / total;
      case ACCURACY -> r.<Double>getAs("correct") / total;
      case F1 -> {
        double tp = r.getAs("tp");
        double denominator = 2 * tp + r.<Double>getAs("fp") + r.<Double>getAs("fn");
        yield denominator == 0 ? 0.0 : 2 * tp / denominator;
      }
      case AUC -> auc(scored, weighted);
    };
  }

  private static double auc(Dataset<Row> scored, boolean weighted) {
    BinaryClassificationEvaluator evaluator =
        new BinaryClassificationEvaluator()
            .setLabelCol(Columns.LABEL)
            .setRawPredictionCol(Columns.PROBABILITY)
            .setMetricName("areaUnderROC")
            .setNumBins(10_000);
    if (weighted) {
      evaluator.setWeightCol(Columns.WEIGHT);
    }
    return evaluator.evaluate(scored);
  }
}
