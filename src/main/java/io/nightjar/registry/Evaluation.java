package io.nightjar.registry;

import io.nightjar.config.Metric;
import java.util.Map;

/**
 * How good a {@link ModelVersion} was at training time: the cross-validated tuning metric of the
 * winning configuration (mean and standard deviation over the folds), and every standard metric on
 * the holdout, by its spec name (e.g. {@code rmse}).
 */
public record Evaluation(
    Metric cvMetric, double cvMean, double cvStd, Map<String, Double> holdoutMetrics) {
  public Evaluation {
    holdoutMetrics = Map.copyOf(holdoutMetrics);
  }
}
