package io.nightjar.monitoring;

import io.nightjar.spark.TableValue;

/** Where a job run is: the {@code status} column of {@code runs}. */
public enum RunStatus implements TableValue {
  /** Started and not ended; a killed run stays so. */
  RUNNING("running"),
  SUCCEEDED("succeeded"),
  /** Ended by an exception; the row's {@code error} holds its message. */
  FAILED("failed");

  private final String sqlName;

  RunStatus(String sqlName) {
    this.sqlName = sqlName;
  }

  @Override
  public String sqlName() {
    return sqlName;
  }

  public static RunStatus fromSql(String value) {
    return TableValue.fromSql(RunStatus.class, RunLog.TABLE + "." + RunLog.STATUS, value);
  }
}
