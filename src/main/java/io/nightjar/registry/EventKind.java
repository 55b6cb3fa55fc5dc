package io.nightjar.registry;

import io.nightjar.spark.TableValue;

/**
 * What a {@link ModelEvent} records: the {@code event} column of {@code model_events}. The aliases
 * derive from these ({@link ModelHistory}).
 */
public enum EventKind implements TableValue {
  /** A version was trained and registered; the latest one is the {@code candidate}. */
  REGISTERED,
  /** A version became {@code production}. */
  PROMOTED,
  /** The promotion gate kept production against this candidate. */
  REJECTED,
  /** {@code production} went back to this version, the one that held it before. */
  ROLLED_BACK;

  public static EventKind fromSql(String value) {
    return TableValue.fromSql(EventKind.class, ModelEventsTable.NAME + ".event", value);
  }
}
