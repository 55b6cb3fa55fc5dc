package io.nightjar.monitoring;

import io.nightjar.spark.TableValue;

/** Where a job run is: the {@code status} column of {@code runs}. */
public enum RunStatus implements TableValue {
  /** Started and not ended; a killed run stays so. */
  RUNNING,
  SUCCEEDED,
  /** Ended by an exception; the row's {@code error} holds its message. */
  FAILED,
  /** A {@code train} stopped at its deadline ({@code nightly.train_deadline}). */
  TIMED_OUT,
  /**
   * A {@code nightly} whose train failed or timed out, and which gated, scored and evaluated with
   * the production version instead.
   */
  DEGRADED;

  public static RunStatus fromSql(String value) {
    return TableValue.fromSql(RunStatus.class, RunLog.TABLE + "." + RunLog.STATUS, value);
  }
}
