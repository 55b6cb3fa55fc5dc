package io.nightjar.registry;

import io.nightjar.spark.TableValue;

/**
 * What a {@link ModelEvent} records: the {@code event} column of {@code model_events}. The aliases
 * derive from these ({@link ModelHistory}).
 */
public enum EventKind implements TableValue {
  /** A version was trained and registered; the latest one is the {@code candidate}. */
  REGISTERED("registered"),
  /** A version became {@code production}. */
  PROMOTED("promoted"),
  /** The promotion gate kept production against this candidate. */
  REJECTED("rejected"),
  /** {@code production} went back to this version, the one that held it before. */
  ROLLED_BACK("rolled_back");

  private final String sqlName;

  EventKind(String sqlName) {
    this.sqlName = sqlName;
  }

  @Override
  public String sqlName() {
    return sqlName;
  }

  public static EventKind fromSql(String value) {
    return TableValue.fromSql(EventKind.class, ModelEventsTable.NAME + ".event", value);
  }
}
