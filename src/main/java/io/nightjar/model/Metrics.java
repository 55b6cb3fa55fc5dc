package io.nightjar.model;

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
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Computes the evaluation metrics (docs/losses.md) on a scored frame holding {@link Columns#LABEL},
 * {@link Columns#PREDICTION}, {@link Columns#PROBABILITY} (classification) and, when weighted,
 * {@link Columns#WEIGHT}. All metrics are weighted means when a weight column is present.
 * Everything but AUC comes from one aggregation pass.
 */
public final class Metrics {
  /** Probabilities are clipped to [EPS, 1 - EPS] for log loss, as scikit-learn does. */
  static final double EPS = 1e-15;

  private Metrics() {}

  /**
   * The metrics recorded for every evaluation of a task; {@code pinball} joins when a quantile is
   * given.
   */
  public static List<Metric> standard(Task task, Double quantile) {
    if (task == Task.CLASSIFICATION) {
      return List.of(Metric.LOGLOSS, Metric.AUC, Metric.ACCURACY, Metric.F1);
    }
    return quantile == null
        ? List.of(Metric.RMSE, Metric.MAE, Metric.R2)
        : List.of(Metric.RMSE, Metric.MAE, Metric.R2, Metric.PINBALL);
  }

  /**
   * Computes {@code metrics} on {@code scored}; {@code quantile} is τ for pinball (0.5 when null).
   */
  public static Map<Metric, Double> compute(
      Dataset<Row> scored, List<Metric> metrics, boolean weighted, Double quantile) {
    Column[] aggregates = aggregates(metrics, weighted, quantile);
    Row r = scored.agg(aggregates[0], Arrays.copyOfRange(aggregates, 1, aggregates.length)).first();
    return values(r, 0, metrics, scored, weighted);
  }

  /**
   * Computes {@code metrics} for each value of the string column {@code group} of {@code scored} in
   * one aggregation pass (AUC, which needs a sort, takes one more pass per group).
   */
  public static Map<String, Map<Metric, Double>> computeByGroup(
      Dataset<Row> scored, String group, List<Metric> metrics, boolean weighted, Double quantile) {
    Column[] aggregates = aggregates(metrics, weighted, quantile);
    Map<String, Map<Metric, Double>> out = new LinkedHashMap<>();
    for (Row r :
        scored
            .groupBy(col(group))
            .agg(aggregates[0], Arrays.copyOfRange(aggregates, 1, aggregates.length))
            .collectAsList()) {
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
      Column logLoss =
          y.multiply(log(prob))
              .plus(lit(1.0).minus(y).multiply(log(lit(1.0).minus(prob))))
              .multiply(-1);
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
    double total = r.isNullAt(weightIndex) ? 0.0 : r.getDouble(weightIndex);
    return values(Sums.of(r, total), metrics, () -> auc(scored, weighted));
  }

  private static Map<Metric, Double> values(Sums sums, List<Metric> metrics, DoubleSupplier auc) {
    Map<Metric, Double> out = new LinkedHashMap<>();
    for (Metric metric : metrics) {
      out.put(metric, sums.w() == 0.0 ? Double.NaN : value(metric, sums, auc));
    }
    return out;
  }

  /** Computes a single metric. */
  public static double compute(
      Dataset<Row> scored, Metric metric, boolean weighted, Double quantile) {
    return compute(scored, List.of(metric), weighted, quantile).get(metric);
  }

  /**
   * Computes {@code metric} from arrays with one entry per row, by the same definitions as {@link
   * #compute(Dataset, Metric, boolean, Double)}: how tuning measures predictions made outside Spark
   * (AUC is exact here, where the Spark path bins scores into 10,000 thresholds).
   *
   * @param probability P(class 1) for classification (the prediction is then 1 when it is above
   *     0.5), null for regression
   * @param weight row weights, or null for equal weights
   */
  public static double compute(
      Metric metric,
      double[] label,
      double[] prediction,
      double[] probability,
      double[] weight,
      Double quantile) {
    double tau = quantile == null ? 0.5 : quantile;
    double[] s = new double[11];
    for (int i = 0; i < label.length; i++) {
      double w = weight == null ? 1.0 : weight[i];
      double y = label[i];
      double p = prediction[i];
      double residual = y - p;
      s[0] += w;
      s[1] += w * residual * residual;
      s[2] += w * Math.abs(residual);
      s[3] += w * Math.max(residual * tau, residual * (tau - 1));
      s[4] += w * y;
      s[5] += w * y * y;
      if (probability != null) {
        double prob = Math.min(Math.max(probability[i], EPS), 1 - EPS);
        s[6] += w * -(y * Math.log(prob) + (1 - y) * Math.log(1 - prob));
        s[7] += y == p ? w : 0;
        s[8] += y == 1.0 && p == 1.0 ? w : 0;
        s[9] += y == 0.0 && p == 1.0 ? w : 0;
        s[10] += y == 1.0 && p == 0.0 ? w : 0;
      }
    }
    Sums sums = new Sums(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10]);
    return values(sums, List.of(metric), () -> auc(label, probability, weight)).get(metric);
  }

  /** The weighted sums every metric but AUC derives from; a sum the task does not need is NaN. */
  private record Sums(
      double w,
      double sse,
      double sae,
      double pinball,
      double wy,
      double wyy,
      double logloss,
      double correct,
      double tp,
      double fp,
      double fn) {
    static Sums of(Row r, double total) {
      return new Sums(
          total,
          sum(r, "sse"),
          sum(r, "sae"),
          sum(r, "pinball"),
          sum(r, "wy"),
          sum(r, "wyy"),
          sum(r, "logloss"),
          sum(r, "correct"),
          sum(r, "tp"),
          sum(r, "fp"),
          sum(r, "fn"));
    }

    private static double sum(Row r, String name) {
      if (!List.of(r.schema().fieldNames()).contains(name)) {
        return Double.NaN;
      }
      return r.isNullAt(r.fieldIndex(name)) ? 0.0 : r.getDouble(r.fieldIndex(name));
    }
  }

  private static double value(Metric metric, Sums s, DoubleSupplier auc) {
    double total = s.w();
    return switch (metric) {
      case RMSE -> Math.sqrt(s.sse() / total);
      case MAE -> s.sae() / total;
      case PINBALL -> s.pinball() / total;
      case R2 -> {
        double mean = s.wy() / total;
        double sst = s.wyy() - total * mean * mean;
        yield sst <= 0 ? Double.NaN : 1.0 - s.sse() / sst;
      }
      case LOGLOSS -> s.logloss() / total;
      case ACCURACY -> s.correct() / total;
      case F1 -> {
        double denominator = 2 * s.tp() + s.fp() + s.fn();
        yield denominator == 0 ? 0.0 : 2 * s.tp() / denominator;
      }
      case AUC -> auc.getAsDouble();
    };
  }

  /**
   * The exact (weighted) area under the ROC curve: the probability that a random positive scores
   * above a random negative, ties counting half. NaN when either class is absent.
   */
  static double auc(double[] label, double[] score, double[] weight) {
    Integer[] order = new Integer[label.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
    double negativesBelow = 0;
    double area = 0;
    double positives = 0;
    for (int start = 0; start < order.length; ) {
      int end = start;
      double tiedPositives = 0;
      double tiedNegatives = 0;
      while (end < order.length && score[order[end]] == score[order[start]]) {
        double w = weight == null ? 1.0 : weight[order[end]];
        if (label[order[end]] == 1.0) {
          tiedPositives += w;
        } else {
          tiedNegatives += w;
        }
        end++;
      }
      area += tiedPositives * (negativesBelow + tiedNegatives / 2);
      negativesBelow += tiedNegatives;
      positives += tiedPositives;
      start = end;
    }
    return positives == 0 || negativesBelow == 0 ? Double.NaN : area / (positives * negativesBelow);
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
