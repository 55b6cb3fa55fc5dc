package io.nightjar.train.tuning;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import java.util.List;
import java.util.Map;

/**
 * One evaluated configuration: a candidate, one point of its grid, the metric on each fold, their mean and standard
 * deviation, and the wall-clock seconds it took. {@code status} is {@code done}, {@code pruned} or {@code failed};
 * failed trials carry {@code error} and NaN metrics.
 */
public record Trial(
    int trialId,
    int candidateIndex,
    CandidateSpec candidate,
    Map<GridKey, Double> params,
    List<Double> foldValues,
    double mean,
    double std,
    double seconds,
    String status,
    String error) {
  public static final String DONE = "done";
  public static final String PRUNED = "pruned";
  public static final String FAILED = "failed";

  public Trial {
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    foldValues = List.copyOf(foldValues);
  }

  public boolean done() {
    return DONE.equals(status);
  }

  static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Sample standard deviation (n - 1), 0 for a single value. */
  static double std(List<Double> values) {
    if (values.size() < 2) {
      return 0.0;
    }
    double mean = mean(values);
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(squares / (values.size() - 1));
  }
}
