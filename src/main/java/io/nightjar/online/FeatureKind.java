package io.nightjar.online;

/** How a raw feature value is read from a request: the JSON kinds a feature column accepts. */
public enum FeatureKind {
  /** Any number (Spark's float and double columns). */
  NUMBER,
  /** A whole number (Spark's byte, short, int and bigint columns). */
  INTEGER,
  /** {@code true} or {@code false}. */
  BOOLEAN,
  /** Text: a categorical level. */
  STRING
}
