package io.nightjar.tuning.bayes;

/**
 * An evaluated point: its coordinates (NaN where inactive), its {@code loss} (lower is better), how
 * much it counts ({@code weight}, e.g. less for older nights) and the {@code group} it was measured
 * in (e.g. its night): losses are ranked within their group only, since each night's data sets its
 * own level of the metric.
 */
public record Observation(double[] x, double loss, double weight, int group) {
  public Observation {
    x = x.clone();
    if (!(weight > 0)) {
      throw new IllegalArgumentException("weight must be positive: " + weight);
    }
  }

  @Override
  public double[] x() {
    return x.clone();
  }

  double at(int dimension) {
    return x[dimension];
  }
}
