package io.nightjar.model.estimators;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Finishes an unpenalised linear quantile fit exactly. Its minimum is a linear program's, so some
 * minimiser passes through features + 1 rows (a vertex); reweighting passes approach it but can
 * creep along a flat stretch of the objective. This solves for the fit through the features + 1
 * rows of positive weight closest to the current one and keeps whichever of the two has the lower
 * weighted pinball loss. Two passes over the rows.
 */
final class VertexPolish {
  private VertexPolish() {}

  /**
   * Rows are {@code [features, label, weight]}; {@code beta} is {@code [intercept, coefficients…]}.
   */
  static double[] polish(JavaRDD<Row> rows, double[] beta, double tau) {
    List<Row> closest =
        rows.filter(row -> row.getDouble(2) > 0).takeOrdered(beta.length, new ByResidual(beta));
    if (closest.size() < beta.length) {
      return beta;
    }
    double[][] z = new double[beta.length][];
    double[] y = new double[beta.length];
    for (int i = 0; i < beta.length; i++) {
      double[] x = ((Vector) closest.get(i).get(0)).toArray();
      z[i] = new double[beta.length];
      z[i][0] = 1;
      System.arraycopy(x, 0, z[i], 1, x.length);
      y[i] = closest.get(i).getDouble(1);
    }
    double[] vertex = solveSquare(z, y);
    if (vertex == null) {
      return beta;
    }
    double[] losses =
        rows.treeAggregate(
            new double[2],
            (sums, row) -> {
              double[] x = ((Vector) row.get(0)).toArray();
              double label = row.getDouble(1);
              double weight = row.getDouble(2);
              sums[0] += weight * pinball(label - predict(beta, x), tau);
              sums[1] += weight * pinball(label - predict(vertex, x), tau);
              return sums;
            },
            (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    return losses[1] < losses[0] ? vertex : beta;
  }

  static double predict(double[] beta, double[] x) {
    double out = beta[0];
    for (int j = 0; j < x.length; j++) {
      out += beta[j + 1] * x[j];
    }
    return out;
  }

  private static double pinball(double r, double tau) {
    return Math.max(tau * r, (tau - 1) * r);
  }

  /** Gaussian elimination with partial pivoting; null when the rows do not determine a fit. */
  private static double[] solveSquare(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int i = col + 1; i < n; i++) {
        if (Math.abs(m[i][col]) > Math.abs(m[pivot][col])) {
          pivot = i;
        }
      }
      if (Math.abs(m[pivot][col]) < 1e-12) {
        return null;
      }
      double[] swap = m[col];
      m[col] = m[pivot];
      m[pivot] = swap;
      for (int i = col + 1; i < n; i++) {
        double factor = m[i][col] / m[col][col];
        for (int k = col; k <= n; k++) {
          m[i][k] -= factor * m[col][k];
        }
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double sum = m[i][n];
      for (int k = i + 1; k < n; k++) {
        sum -= m[i][k] * x[k];
      }
      x[i] = sum / m[i][i];
    }
    return x;
  }

  /**
   * Orders rows by the size of their residual under {@code beta}; serialisable for {@code
   * takeOrdered}.
   */
  private static final class ByResidual implements Comparator<Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] beta;

    ByResidual(double[] beta) {
      this.beta = beta;
    }

    @Override
    public int compare(Row a, Row b) {
      return Double.compare(residual(a), residual(b));
    }

    private double residual(Row row) {
      return Math.abs(row.getDouble(1) - predict(beta, ((Vector) row.get(0)).toArray()));
    }
  }
}
