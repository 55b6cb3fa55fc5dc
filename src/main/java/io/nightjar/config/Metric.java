package io.nightjar.config;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.util.Comparator;
import org.apache.spark.sql.Column;

/**
 * Evaluation metrics ({@code tuning.metric}, docs/configuration.md), the task each fits, and which
 * direction is better. Code outside this class compares metric values only through its direction
 * methods ({@link #improvement}, {@link #isBetter}, {@link #worseBy}, {@link #bestFirst()}, and
 * {@link #best(Column)} and {@link #bestFirst(Column)} for Spark), so the direction is decided here
 * once.
 */
public enum Metric {
  RMSE(Task.REGRESSION, false),
  MAE(Task.REGRESSION, false),
  R2(Task.REGRESSION, true),
  PINBALL(Task.REGRESSION, false),
  LOGLOSS(Task.CLASSIFICATION, false),
  AUC(Task.CLASSIFICATION, true),
  ACCURACY(Task.CLASSIFICATION, true),
  F1(Task.CLASSIFICATION, true);

  private final Task task;
  private final boolean higherIsBetter;

  Metric(Task task, boolean higherIsBetter) {
    this.task = task;
    this.higherIsBetter = higherIsBetter;
  }

  public Task task() {
    return task;
  }

  /**
   * How much better {@code candidate} is than {@code reference}: their difference, signed so that
   * positive means better ({@code candidate - reference} for a score such as AUC, {@code reference
   * - candidate} for an error such as RMSE).
   */
  public double improvement(double candidate, double reference) {
    return higherIsBetter ? candidate - reference : reference - candidate;
  }

  /**
   * {@code value} as a loss, which a minimiser wants low: the value of an error, the negated value
   * of a score.
   */
  public double asLoss(double value) {
    return higherIsBetter ? -value : value;
  }

  /** True when {@code candidate} is strictly better than {@code reference}. */
  public boolean isBetter(double candidate, double reference) {
    return improvement(candidate, reference) > 0;
  }

  /**
   * The value worse than {@code reference} by {@code factor} (above 1): {@code reference × factor}
   * for an error, {@code reference ÷ factor} for a score.
   */
  public double worseBy(double reference, double factor) {
    return higherIsBetter ? reference / factor : reference * factor;
  }

  /**
   * Orders values best first. NaN counts as the highest value, as in {@link Double#compare}: leave
   * it out first.
   */
  public Comparator<Double> bestFirst() {
    return higherIsBetter ? Comparator.reverseOrder() : Comparator.naturalOrder();
  }

  /** The best of {@code values} in a Spark aggregation: their maximum or their minimum. */
  public Column best(Column values) {
    return higherIsBetter ? max(values) : min(values);
  }

  /** The Spark sort order that puts the best of {@code values} first. */
  public Column bestFirst(Column values) {
    return higherIsBetter ? values.desc() : values.asc();
  }

  /** The metric a spec uses when {@code tuning.metric} is absent. */
  public static Metric defaultFor(Task task, Loss firstLoss) {
    if (task == Task.CLASSIFICATION) {
      return LOGLOSS;
    }
    return firstLoss == Loss.QUANTILE ? PINBALL : RMSE;
  }
}
