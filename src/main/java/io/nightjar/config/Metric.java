package io.nightjar.config;

/**
 * Evaluation metrics ({@code tuning.metric}, docs/configuration.md), the task each fits, and which
 * direction is better.
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

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** True when {@code candidate} is strictly better than {@code incumbent}. */
  public boolean better(double candidate, double incumbent) {
    return higherIsBetter ? candidate > incumbent : candidate < incumbent;
  }

  /** The metric a spec uses when {@code tuning.metric} is absent. */
  public static Metric defaultFor(Task task, Loss firstLoss) {
    if (task == Task.CLASSIFICATION) {
      return LOGLOSS;
    }
    return firstLoss == Loss.QUANTILE ? PINBALL : RMSE;
  }
}
