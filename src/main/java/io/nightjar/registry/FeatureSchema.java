package io.nightjar.registry;

import java.util.List;

/**
 * The input columns of a {@link ModelVersion}: the features it reads (and which of them are
 * categorical), the id, the label and the weight column it was trained with. {@code weightCol} may
 * be null.
 */
public record FeatureSchema(
    List<String> features, List<String> categorical, String idCol, String label, String weightCol) {
  public FeatureSchema {
    features = List.copyOf(features);
    categorical = List.copyOf(categorical);
  }
}
