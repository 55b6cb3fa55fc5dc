package io.nightjar.tuning.bayes;

/** The standard normal distribution function, to truncate kernels to their interval. */
final class Normal {
  static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

  /** The Chebyshev fit's coefficients, lowest power of t first. */
  private static final double[] COEFFICIENTS = {
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277
  };

  private Normal() {}

  /** Φ(z), through the complementary error function. */
  static double cdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /**
   * erfc(x) with a fractional error below 1.2e-7 everywhere, by Chebyshev fitting (Numerical
   * Recipes in C, 2nd ed., section 6.2, {@code erfcc}): ample for comparing densities.
   */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double polynomial = 0;
    for (int i = COEFFICIENTS.length - 1; i >= 0; i--) {
      polynomial = COEFFICIENTS[i] + t * polynomial;
    }
    double r = t * Math.exp(-z * z + polynomial);
    return x >= 0 ? r : 2 - r;
  }
}
