package io.nightjar.online;

import static java.util.Objects.requireNonNull;

/**
 * One raw input of a compiled pipeline: the feature column's name, how a request's value is read,
 * and the Spark SQL type name of the column the model was trained on (for messages and docs).
 */
public record FeatureInput(String name, FeatureKind kind, String sparkType) {
  public FeatureInput {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(sparkType, "sparkType is null");
  }
}
