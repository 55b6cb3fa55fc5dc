package io.nightjar.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.ToDoubleFunction;

/**
 * Independent reference minimisers of the linear pinball objective in plain Java, to check
 * Spark-based fits against: an exact vertex enumeration (a linear program's optimum sits where p
 * residuals are 0) and Nelder–Mead for the penalised objective.
 */
final class PinballReference {
  private PinballReference() {}

  /**
   * {@code Σ w ρτ(y − b0 − x·b) / Σ w + (lambda / 2) Σ (bj sj)²} with {@code beta = [b0, b1, ...]}.
   */
  static double objective(
      double[][] x, double[] y, double[] w, double tau, double lambda, double[] sd, double[] beta) {
    double loss = 0;
    double total = 0;
    for (int i = 0; i < y.length; i++) {
      double r = y[i] - predict(x[i], beta);
      loss += w[i] * Math.max(tau * r, (tau - 1) * r);
      total += w[i];
    }
    double penalty = 0;
    for (int j = 0; j < sd.length; j++) {
      penalty += Math.pow(beta[j + 1] * sd[j], 2);
    }
    return loss / total + lambda / 2 * penalty;
  }

  static double predict(double[] x, double[] beta) {
    double out = beta[0];
    for (int j = 0; j < x.length; j++) {
      out += beta[j + 1] * x[j];
    }
    return out;
  }

  /** The exact unpenalised minimum over all fits through 3 rows (two features and an intercept). */
  static double[] exactTwoFeatures(double[][] x, double[] y, double[] w, double tau) {
    double best = Double.POSITIVE_INFINITY;
    double[] argmin = null;
    double[] zeroSd = {0, 0};
    for (int a = 0; a < y.length; a++) {
      for (int b = a + 1; b < y.length; b++) {
        for (int c = b + 1; c < y.length; c++) {
          double[] beta =
              through(new double[][] {x[a], x[b], x[c]}, new double[] {y[a], y[b], y[c]});
          if (beta == null) {
            continue;
          }
          double value = objective(x, y, w, tau, 0, zeroSd, beta);
          if (value < best) {
            best = value;
            argmin = beta;
          }
        }
      }
    }
    return argmin;
  }

  /** The plane through three points (Cramer's rule), or null when they are collinear. */
  private static double[] through(double[][] x, double[] y) {
    double[][] m = {{1, x[0][0], x[0][1]}, {1, x[1][0], x[1][1]}, {1, x[2][0], x[2][1]}};
    double det = det(m);
    if (Math.abs(det) < 1e-12) {
      return null;
    }
    double[] beta = new double[3];
    for (int k = 0; k < 3; k++) {
      double[][] replaced = {m[0].clone(), m[1].clone(), m[2].clone()};
      for (int i = 0; i < 3; i++) {
        replaced[i][k] = y[i];
      }
      beta[k] = det(replaced) / det;
    }
    return beta;
  }

  private static double det(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  /** Nelder–Mead from {@code start}, restarted until it stops improving (it can stall on kinks). */
  static double[] nelderMead(ToDoubleFunction<double[]> f, double[] start, double step) {
    double[] best = start.clone();
    for (int restart = 0; restart < 20; restart++) {
      double[] next = simplex(f, best, step);
      boolean improved = f.applyAsDouble(next) < f.applyAsDouble(best) - 1e-13;
      best = next;
      if (!improved) {
        break;
      }
      step /= 2;
    }
    return best;
  }

  private static double[] simplex(ToDoubleFunction<double[]> f, double[] start, double step) {
    int n = start.length;
    double[][] p = new double[n + 1][];
    double[] v = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      p[i] = start.clone();
      if (i > 0) {
        p[i][i - 1] += step;
      }
      v[i] = f.applyAsDouble(p[i]);
    }
    for (int iter = 0; iter < 20_000; iter++) {
      Integer[] order = new Integer[n + 1];
      for (int i = 0; i <= n; i++) {
        order[i] = i;
      }
      final double[] values = v;
      Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
      double[][] sortedP = new double[n + 1][];
      double[] sortedV = new double[n + 1];
      for (int i = 0; i <= n; i++) {
        sortedP[i] = p[order[i]];
        sortedV[i] = v[order[i]];
      }
      p = sortedP;
      v = sortedV;
      if (v[n] - v[0] < 1e-14) {
        break;
      }
      double[] centroid = new double[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          centroid[j] += p[i][j] / n;
        }
      }
      double[] reflected = blend(centroid, p[n], -1);
      double fr = f.applyAsDouble(reflected);
      if (fr < v[0]) {
        double[] expanded = blend(centroid, p[n], -2);
        double fe = f.applyAsDouble(expanded);
        p[n] = fe < fr ? expanded : reflected;
        v[n] = Math.min(fe, fr);
      } else if (fr < v[n - 1]) {
        p[n] = reflected;
        v[n] = fr;
      } else {
        double[] contracted = blend(centroid, p[n], 0.5);
        double fc = f.applyAsDouble(contracted);
        if (fc < v[n]) {
          p[n] = contracted;
          v[n] = fc;
        } else {
          for (int i = 1; i <= n; i++) {
            p[i] = blend(p[0], p[i], 0.5);
            v[i] = f.applyAsDouble(p[i]);
          }
        }
      }
    }
    return p[0];
  }

  /** {@code c + t (q − c)}. */
  private static double[] blend(double[] c, double[] q, double t) {
    double[] out = new double[c.length];
    for (int j = 0; j < c.length; j++) {
      out[j] = c[j] + t * (q[j] - c[j]);
    }
    return out;
  }
}
