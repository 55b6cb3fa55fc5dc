package io.nightjar.model.estimators;

import java.io.Serializable;

/**
 * The weighted least-squares system {@code Σ w z zᵀ β = Σ w z y} over rows {@code z = [1, x]},
 * summed on the executors and solved on the driver. The matrix is kept as its packed upper
 * triangle; two systems add up (combine step of a tree aggregation). Also sums the weight and the
 * weighted label moments, which the caller needs for scales.
 */
final class NormalEquations implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int size;
  private final double[] packed;
  private final double[] rhs;
  private double weight;
  private double weightedLabel;
  private double weightedSquaredLabel;
  private double baseWeight;

  NormalEquations(int features) {
    size = features + 1;
    packed = new double[size * (size + 1) / 2];
    rhs = new double[size];
  }

  /**
   * Adds one row with least-squares weight {@code w}; {@code base}, the row's own weight, is only
   * summed.
   */
  NormalEquations add(double[] x, double y, double w, double base) {
    baseWeight += base;
    if (w == 0) {
      return this;
    }
    int k = 0;
    for (int i = 0; i < size; i++) {
      double zi = i == 0 ? 1.0 : x[i - 1];
      double wzi = w * zi;
      rhs[i] += wzi * y;
      for (int j = i; j < size; j++) {
        packed[k++] += wzi * (j == 0 ? 1.0 : x[j - 1]);
      }
    }
    weight += w;
    weightedLabel += w * y;
    weightedSquaredLabel += w * y * y;
    return this;
  }

  NormalEquations merge(NormalEquations other) {
    for (int k = 0; k < packed.length; k++) {
      packed[k] += other.packed[k];
    }
    for (int i = 0; i < size; i++) {
      rhs[i] += other.rhs[i];
    }
    weight += other.weight;
    weightedLabel += other.weightedLabel;
    weightedSquaredLabel += other.weightedSquaredLabel;
    baseWeight += other.baseWeight;
    return this;
  }

  /** Σ of the row weights given as {@code base}. */
  double baseWeight() {
    return baseWeight;
  }

  /**
   * Weighted population standard deviation of feature j (0-based) under the least-squares weights.
   */
  double featureStd(int j) {
    double mean = entry(0, j + 1) / weight;
    return Math.sqrt(Math.max(entry(j + 1, j + 1) / weight - mean * mean, 0.0));
  }

  /** Weighted population standard deviation of the label under the least-squares weights. */
  double labelStd() {
    double mean = weightedLabel / weight;
    return Math.sqrt(Math.max(weightedSquaredLabel / weight - mean * mean, 0.0));
  }

  private double entry(int i, int j) {
    int row = Math.min(i, j);
    int col = Math.max(i, j);
    return packed[row * size - row * (row - 1) / 2 + (col - row)];
  }

  /**
   * Solves {@code (Σ w z zᵀ + diag(0, penalty)) β = Σ w z y} by Cholesky; features whose {@code
   * penalty} is NaN are held at 0 (constant features, which would make the system singular).
   * Returns {@code [intercept, coefficients…]}.
   */
  double[] solve(double[] penalty) {
    double[][] a = new double[size][size];
    double[] b = rhs.clone();
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        a[i][j] = entry(i, j);
      }
    }
    for (int j = 1; j < size; j++) {
      if (Double.isNaN(penalty[j - 1])) {
        for (int i = 0; i < size; i++) {
          a[i][j] = 0;
          a[j][i] = 0;
        }
        a[j][j] = 1;
        b[j] = 0;
      } else {
        a[j][j] += penalty[j - 1];
      }
    }
    // Collinear features leave the matrix only semi-definite: a tiny ridge picks one of the equal
    // fits.
    double jitter = 0;
    for (int attempt = 0; attempt < 8; attempt++) {
      double[] solution = cholesky(a, b, jitter);
      if (solution != null) {
        return solution;
      }
      jitter = jitter == 0 ? 1e-12 * (trace(a) / size + 1e-300) : jitter * 100;
    }
    throw new IllegalStateException(
        "Cannot solve the quantile regression's least-squares step: the features are"
            + " degenerate.");
  }

  private static double trace(double[][] a) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i][i];
    }
    return sum;
  }

  private static double[] cholesky(double[][] a, double[] b, double jitter) {
    int n = b.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i][j] + (i == j ? jitter : 0);
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (!(sum > 0)) {
            return null;
          }
          l[i][i] = Math.sqrt(sum);
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i][k] * z[k];
      }
      z[i] = sum / l[i][i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = z[i];
      for (int k = i + 1; k < n; k++) {
        sum -= l[k][i] * x[k];
      }
      x[i] = sum / l[i][i];
    }
    return x;
  }
}
