package io.nightjar.config;

/**
 * The losses a spec's candidates may name (docs/configuration.md, docs/losses.md) and the task each
 * one is for.
 */
public enum Loss {
  SQUARED(Task.REGRESSION),
  ABSOLUTE(Task.REGRESSION),
  HUBER(Task.REGRESSION),
  QUANTILE(Task.REGRESSION),
  LOGISTIC(Task.CLASSIFICATION),
  HINGE(Task.CLASSIFICATION);

  private final Task task;

  Loss(Task task) {
    this.task = task;
  }

  public Task task() {
    return task;
  }
}
