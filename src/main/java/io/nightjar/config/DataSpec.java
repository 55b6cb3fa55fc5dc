package io.nightjar.config;

import java.util.List;

/**
 * Which columns play which role. {@code features} empty means every column but id, label, weight
 * and time; {@code weight}, {@code positive} and {@code time} are null when unset.
 */
public record DataSpec(
    SourceSpec training,
    String id,
    String label,
    String weight,
    String positive,
    List<String> features,
    List<String> categorical,
    String time) {
  public DataSpec {
    features = List.copyOf(features);
    categorical = List.copyOf(categorical);
  }
}
