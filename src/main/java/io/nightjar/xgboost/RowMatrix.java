package io.nightjar.xgboost;

import static org.apache.spark.sql.functions.col;

import io.nightjar.data.Columns;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Prepared rows as a dense row-major float matrix with their labels and weights: what a native
 * XGBoost fit inside one Spark task reads. Floats, because XGBoost keeps features as 32-bit floats
 * anyway; labels and weights stay doubles for the metrics. Public only because Spark's
 * Java-serialisation encoder, which carries it from the executors, requires a public class. A
 * class, not a record: Kryo 4 (Spark's {@code KryoSerializer}, which broadcasts use when a cluster
 * sets it) cannot serialise records.
 */
public final class RowMatrix implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] features;
  private final double[] labels;
  private final double[] weights;
  private final int rows;
  private final int columns;

  RowMatrix(float[] features, double[] labels, double[] weights, int rows, int columns) {
    this.features = features;
    this.labels = labels;
    this.weights = weights;
    this.rows = rows;
    this.columns = columns;
  }

  /** Row-major features, {@code rows x columns}. */
  float[] features() {
    return features;
  }

  double[] labels() {
    return labels;
  }

  /** Row weights, or null for equal weights. */
  double[] weights() {
    return weights;
  }

  int rows() {
    return rows;
  }

  int columns() {
    return columns;
  }

  /** Bytes a matrix of {@code rows} x {@code columns} takes, labels and weights included. */
  static long bytes(long rows, int columns) {
    return rows * (4L * columns + 16L);
  }

  /**
   * Collects {@code prepared} ({@link Columns#FEATURES}, {@link Columns#LABEL}, optionally {@link
   * Columns#WEIGHT}) to the driver: each partition is packed into one matrix on its executor, so
   * the driver receives arrays, not rows.
   */
  static RowMatrix collect(Dataset<Row> prepared) {
    boolean weighted = List.of(prepared.columns()).contains(Columns.WEIGHT);
    List<Column> columns =
        new ArrayList<>(List.of(col(Columns.FEATURES), col(Columns.LABEL).cast("double")));
    if (weighted) {
      columns.add(col(Columns.WEIGHT).cast("double"));
    }
    List<RowMatrix> parts =
        prepared
            .select(columns.toArray(Column[]::new))
            .mapPartitions(
                (MapPartitionsFunction<Row, RowMatrix>) rows -> pack(rows, weighted),
                Encoders.javaSerialization(RowMatrix.class))
            .collectAsList();
    return concat(parts, weighted);
  }

  private static Iterator<RowMatrix> pack(Iterator<Row> rows, boolean weighted) {
    List<double[]> features = new ArrayList<>();
    List<Double> labels = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    while (rows.hasNext()) {
      Row row = rows.next();
      features.add(((Vector) row.get(0)).toArray());
      labels.add(row.getDouble(1));
      if (weighted) {
        weights.add(row.getDouble(2));
      }
    }
    int width = features.isEmpty() ? 0 : features.get(0).length;
    float[] data = new float[features.size() * width];
    for (int r = 0; r < features.size(); r++) {
      double[] values = features.get(r);
      for (int c = 0; c < width; c++) {
        data[r * width + c] = (float) values[c];
      }
    }
    double[] labelArray = labels.stream().mapToDouble(Double::doubleValue).toArray();
    double[] weightArray =
        weighted ? weights.stream().mapToDouble(Double::doubleValue).toArray() : null;
    return List.of(new RowMatrix(data, labelArray, weightArray, features.size(), width)).iterator();
  }

  private static RowMatrix concat(List<RowMatrix> parts, boolean weighted) {
    int rows = parts.stream().mapToInt(RowMatrix::rows).sum();
    int width =
        parts.stream().filter(p -> p.rows() > 0).mapToInt(RowMatrix::columns).findFirst().orElse(0);
    float[] features = new float[Math.multiplyExact(rows, width)];
    double[] labels = new double[rows];
    double[] weights = weighted ? new double[rows] : null;
    int at = 0;
    for (RowMatrix part : parts) {
      System.arraycopy(part.features(), 0, features, at * width, part.rows() * width);
      System.arraycopy(part.labels(), 0, labels, at, part.rows());
      if (weighted) {
        System.arraycopy(part.weights(), 0, weights, at, part.rows());
      }
      at += part.rows();
    }
    return new RowMatrix(features, labels, weights, rows, width);
  }

  /**
   * Each row kept with probability {@code share} (a Bernoulli sample, as Spark's {@code sample}
   * draws).
   */
  RowMatrix sample(double share, long seed) {
    if (share >= 1.0) {
      return this;
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> kept = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      if (random.nextDouble() < share) {
        kept.add(r);
      }
    }
    float[] data = new float[kept.size() * columns];
    double[] labelsKept = new double[kept.size()];
    double[] weightsKept = weights == null ? null : new double[kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      int r = kept.get(i);
      System.arraycopy(features, r * columns, data, i * columns, columns);
      labelsKept[i] = labels[r];
      if (weightsKept != null) {
        weightsKept[i] = weights[r];
      }
    }
    return new RowMatrix(data, labelsKept, weightsKept, kept.size(), columns);
  }

  static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
