package io.nightjar.online;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/**
 * Spark ML's vector stages as their Spark 3.5 {@code transform} computes one row: {@code
 * VectorAssembler} (every {@code handleInvalid}; the vector sparse or dense as Spark's {@code
 * compressed} picks, so the models downstream sum in the same order) and {@code VectorSlicer} by
 * indices (the Platt calibrator's margin).
 */
final class VectorStages {
  private VectorStages() {}

  static RowStage assembler(VectorAssembler model, RowColumns columns) {
    String[] inputs = model.getInputCols();
    String handle = model.getHandleInvalid();
    int n = inputs.length;
    RowColumn[] in = new RowColumn[n];
    int size = 0;
    for (int i = 0; i < n; i++) {
      in[i] = columns.input(inputs[i], model);
      boolean vector = in[i].type().equals(SQLDataTypes.VectorType());
      RowColumns.requireType(
          model, in[i], vector || SparkCasts.isNumber(in[i].type()), "numeric or vector");
      if (vector && in[i].size() < 0) {
        throw new UnsupportedStageException(
            String.format(
                "Cannot compile %s for online scoring: the size of its vector input '%s' is not"
                    + " known.",
                RowScorers.describe(model), inputs[i]));
      }
      size += vector ? in[i].size() : 1;
    }
    RowColumn out = columns.vector(model.getOutputCol(), size, null);
    String stage = RowScorers.describe(model);
    return row -> {
      List<Integer> indices = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      int at = 0;
      for (int i = 0; i < n; i++) {
        Object value = row.get(in[i]);
        if (value instanceof Vector vector) {
          // Vector.foreachActive: every value of a dense vector, the stored ones of a sparse one.
          int[] active = vector instanceof SparseVector sparse ? sparse.indices() : null;
          double[] stored =
              vector instanceof SparseVector sparse ? sparse.values() : vector.toArray();
          for (int k = 0; k < stored.length; k++) {
            if (stored[k] != 0.0) {
              indices.add(at + (active == null ? k : active[k]));
              values.add(stored[k]);
            }
          }
          at += vector.size();
          continue;
        }
        Double d = SparkCasts.toDouble(value);
        boolean invalid = d == null || d.isNaN();
        if (invalid && !handle.equals("keep")) {
          throw RowInputException.handleInvalid(
              in[i].featureName(),
              "is missing (" + (d == null ? "null" : "NaN") + ")",
              stage,
              handle,
              "");
        }
        int length = in[i].size() < 0 ? 1 : in[i].size();
        if (d == null) {
          for (int j = 0; j < length; j++) {
            indices.add(at + j);
            values.add(Double.NaN);
          }
        } else if (d != 0.0) {
          indices.add(at);
          values.add(d);
        }
        at += length;
      }
      int[] idx = indices.stream().mapToInt(Integer::intValue).toArray();
      double[] vals = values.stream().mapToDouble(Double::doubleValue).toArray();
      row.set(out, Vectors.sparse(at, idx, vals).compressed());
    };
  }

  static RowStage slicer(VectorSlicer model, RowColumns columns) {
    if (model.getNames().length > 0) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: it selects features by name (%s), which"
                  + " needs the vector's attribute metadata; only selection by indices is"
                  + " supported.",
              RowScorers.describe(model), String.join(", ", model.getNames())));
    }
    int[] indices = model.getIndices();
    RowColumn in = columns.input(model.getInputCol(), model);
    RowColumns.requireType(model, in, in.type().equals(SQLDataTypes.VectorType()), "vector");
    RowColumn out = columns.vector(model.getOutputCol(), indices.length, in.feature());
    return row -> {
      Vector vector = (Vector) row.get(in);
      if (vector == null) {
        row.set(out, null);
        return;
      }
      row.set(out, vector instanceof DenseVector ? dense(vector, indices) : slice(vector, indices));
    };
  }

  private static Vector dense(Vector vector, int[] indices) {
    double[] values = new double[indices.length];
    for (int k = 0; k < indices.length; k++) {
      values[k] = vector.apply(indices[k]);
    }
    return Vectors.dense(values);
  }

  /** SparseVector.slice: the stored entries among {@code selected}, renumbered in their order. */
  private static Vector slice(Vector vector, int[] selected) {
    SparseVector sparse = (SparseVector) vector;
    List<Integer> indices = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int k = 0; k < selected.length; k++) {
      int at = Arrays.binarySearch(sparse.indices(), selected[k]);
      if (at >= 0) {
        indices.add(k);
        values.add(sparse.values()[at]);
      }
    }
    return Vectors.sparse(
        selected.length,
        indices.stream().mapToInt(Integer::intValue).toArray(),
        values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
