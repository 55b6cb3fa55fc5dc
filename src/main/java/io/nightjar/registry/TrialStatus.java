package io.nightjar.registry;

import io.nightjar.spark.TableValue;

/** How a trial ended: the {@code status} column of {@code tuning_trials}. */
public enum TrialStatus implements TableValue {
  /** Evaluated on every fold; its mean ranks it. */
  DONE,
  /** Eliminated before its last evaluation (successive halving, early stopping). */
  PRUNED,
  /** Its fit threw; the row's {@code error} says why. */
  FAILED;

  public static TrialStatus fromSql(String value) {
    return TableValue.fromSql(TrialStatus.class, TrialsTable.TABLE + ".status", value);
  }
}
