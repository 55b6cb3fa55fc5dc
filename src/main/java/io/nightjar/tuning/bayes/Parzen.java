package io.nightjar.tuning.bayes;

import java.util.Arrays;
import java.util.Random;

/**
 * A one-coordinate Parzen estimator, as TPE builds them: for a continuous coordinate, a weighted
 * mixture of normals truncated to the interval, one at each observed value plus a broad prior at
 * the middle; for a categorical, weighted counts plus a uniform prior. The prior keeps every value
 * possible, so the search never stops exploring.
 */
final class Parzen {
  /** The prior counts as this many observations. */
  static final double PRIOR_WEIGHT = 1.0;

  private final Dimension dimension;
  private final double[] mus;
  private final double[] sigmas;
  private final double[] weights;
  private final double[] masses;
  private final double total;

  /** Fits the estimator on {@code values} (NaN ones are ignored) weighted by {@code weights}. */
  Parzen(Dimension dimension, double[] values, double[] weights) {
    this.dimension = dimension;
    int n = 0;
    for (double value : values) {
      n += Double.isNaN(value) ? 0 : 1;
    }
    double[] mus = new double[n + 1];
    double[] ws = new double[n + 1];
    int at = 0;
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        mus[at] = values[i];
        ws[at++] = weights[i];
      }
    }
    this.mus = mus;
    this.weights = ws;
    if (dimension.categorical()) {
      this.sigmas = null;
      this.masses = new double[dimension.choices()];
      Arrays.fill(masses, PRIOR_WEIGHT / dimension.choices());
      for (int i = 0; i < n; i++) {
        masses[(int) mus[i]] += ws[i];
      }
      this.total = Arrays.stream(masses).sum();
      return;
    }
    this.masses = null;
    double low = dimension.low();
    double high = dimension.high();
    mus[n] = (low + high) / 2;
    ws[n] = PRIOR_WEIGHT;
    this.sigmas = bandwidths(mus, n, low, high);
    this.total = Arrays.stream(ws).sum();
  }

  /**
   * Each observation's bandwidth is the larger gap to its neighbours (the interval's ends count as
   * neighbours), clipped between a share of the interval that shrinks with more observations and
   * the whole interval: tight where observations crowd, wide where they are sparse (Bergstra et
   * al., 2011). The prior spans the interval.
   */
  private static double[] bandwidths(double[] mus, int n, double low, double high) {
    double span = high - low;
    double[] sigmas = new double[n + 1];
    double[] sorted = Arrays.copyOf(mus, n);
    Arrays.sort(sorted);
    double smallest = span / Math.min(100.0, n + 1.0);
    for (int i = 0; i < n; i++) {
      int at = Arrays.binarySearch(sorted, mus[i]);
      double left = at > 0 ? sorted[at - 1] : low;
      double right = at < n - 1 ? sorted[at + 1] : high;
      double gap = Math.max(mus[i] - left, right - mus[i]);
      sigmas[i] = Math.min(span, Math.max(smallest, gap));
    }
    sigmas[n] = span;
    return sigmas;
  }

  /** The log density (continuous) or log probability (categorical) of {@code value}. */
  double logDensity(double value) {
    if (dimension.categorical()) {
      return Math.log(masses[(int) value] / total);
    }
    double density = 0;
    for (int i = 0; i < mus.length; i++) {
      double z = (value - mus[i]) / sigmas[i];
      double inside =
          Normal.cdf((dimension.high() - mus[i]) / sigmas[i])
              - Normal.cdf((dimension.low() - mus[i]) / sigmas[i]);
      density += weights[i] * Math.exp(-0.5 * z * z) / (sigmas[i] * Normal.SQRT_2PI * inside);
    }
    return Math.log(density / total);
  }

  /** A value drawn from the estimator. */
  double sample(Random random) {
    if (dimension.categorical()) {
      return pick(masses, random);
    }
    int component = pick(weights, random);
    for (int attempt = 0; attempt < 100; attempt++) {
      double value = mus[component] + sigmas[component] * random.nextGaussian();
      if (value >= dimension.low() && value <= dimension.high()) {
        return value;
      }
    }
    return Math.min(dimension.high(), Math.max(dimension.low(), mus[component]));
  }

  private static int pick(double[] weights, Random random) {
    double sum = Arrays.stream(weights).sum();
    double u = random.nextDouble() * sum;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
