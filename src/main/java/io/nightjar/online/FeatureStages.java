package io.nightjar.online;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.ImputerModel;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Spark ML's feature transformers that Nightjar's pipelines hold, each as its Spark 3.5 {@code
 * transform} computes one row: {@code StringIndexerModel}, {@code OneHotEncoderModel}, {@code
 * ImputerModel} (its surrogates read once, here), {@code VectorAssembler} and {@code VectorSlicer}
 * (by indices). Every {@code handleInvalid} setting is honoured: {@code keep} as Spark keeps,
 * {@code error} and {@code skip} (which fail or drop the row in a batch) as a {@link
 * RowInputException} naming the feature.
 */
final class FeatureStages implements StageCompiler {
  @Override
  public Optional<RowStage> find(Transformer stage, RowColumns columns) {
    if (stage instanceof StringIndexerModel indexer) {
      return Optional.of(indexer(indexer, columns));
    }
    if (stage instanceof OneHotEncoderModel encoder) {
      return Optional.of(oneHot(encoder, columns));
    }
    if (stage instanceof ImputerModel imputer) {
      return Optional.of(imputer(imputer, columns));
    }
    if (stage instanceof VectorAssembler assembler) {
      return Optional.of(assembler(assembler, columns));
    }
    if (stage instanceof VectorSlicer slicer) {
      return Optional.of(slicer(slicer, columns));
    }
    return Optional.empty();
  }

  /** The single-column or multi-column form of a stage's input or output columns. */
  private static String[] names(Params stage, String single, String multi) {
    Param<?> many = stage.getParam(multi);
    if (stage.isSet(many)) {
      return (String[]) stage.getOrDefault(many);
    }
    return new String[] {(String) stage.getOrDefault(stage.getParam(single))};
  }

  private static String featureOf(RowColumn column) {
    return column.feature() == null ? column.name() : column.feature();
  }

  private static RowStage indexer(StringIndexerModel model, RowColumns columns) {
    String[] inputs = names(model, "inputCol", "inputCols");
    String[] outputs = names(model, "outputCol", "outputCols");
    String[][] labels = model.labelsArray();
    String handle = model.getHandleInvalid();
    int n = inputs.length;
    RowColumn[] in = new RowColumn[n];
    RowColumn[] out = new RowColumn[n];
    List<Map<String, Double>> indices = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      in[i] = columns.input(inputs[i], model);
      requireType(model, in[i], SparkCasts.isText(in[i].type()), "string or numeric");
      Map<String, Double> index = new HashMap<>();
      for (int j = 0; j < labels[i].length; j++) {
        index.put(labels[i][j], (double) j);
      }
      indices.add(Map.copyOf(index));
    }
    for (int i = 0; i < n; i++) {
      out[i] = columns.output(outputs[i], DataTypes.DoubleType, in[i].feature());
    }
    String stage = RowScorers.describe(model);
    return row -> {
      // Spark drops (skip) or fails on (error) a row with any invalid level before indexing any.
      Double[] found = new Double[n];
      for (int i = 0; i < n; i++) {
        String level = SparkCasts.toText(row.get(in[i]));
        found[i] = level == null ? null : indices.get(i).get(level);
        if (found[i] == null) {
          if (handle.equals("keep")) {
            found[i] = (double) labels[i].length;
          } else {
            String shown = level == null ? "a missing value" : "the unseen level '" + level + "'";
            throw new RowInputException(
                featureOf(in[i]),
                String.format(
                    "Cannot score feature '%s': it has %s, and %s (handleInvalid = %s) %s such"
                        + " rows; known levels: %d.",
                    featureOf(in[i]),
                    shown,
                    stage,
                    handle,
                    handle.equals("skip") ? "drops" : "fails on",
                    labels[i].length));
          }
        }
      }
      for (int i = 0; i < n; i++) {
        row.set(out[i], found[i]);
      }
    };
  }

  private static RowStage oneHot(OneHotEncoderModel model, RowColumns columns) {
    String[] inputs = names(model, "inputCol", "inputCols");
    String[] outputs = names(model, "outputCol", "outputCols");
    int[] categories = model.categorySizes();
    boolean keep = model.getHandleInvalid().equals("keep");
    boolean dropLast = model.getDropLast();
    int n = inputs.length;
    RowColumn[] in = new RowColumn[n];
    RowColumn[] out = new RowColumn[n];
    int[] sizes = new int[n];
    for (int i = 0; i < n; i++) {
      in[i] = columns.input(inputs[i], model);
      requireType(model, in[i], SparkCasts.isNumber(in[i].type()), "numeric");
      // OneHotEncoderModel.getConfigedCategorySizes: keep adds a bucket, dropLast removes one.
      sizes[i] = categories[i] + (keep ? 1 : 0) - (dropLast ? 1 : 0);
    }
    for (int i = 0; i < n; i++) {
      out[i] = columns.vector(outputs[i], sizes[i], in[i].feature());
    }
    String stage = RowScorers.describe(model);
    return row -> {
      for (int i = 0; i < n; i++) {
        Double label = SparkCasts.toDouble(row.get(in[i]));
        if (label == null) {
          // The encoder is a UDF of a primitive double: Spark gives null for a null input.
          row.set(out[i], null);
          continue;
        }
        double index = label;
        if (!(label >= 0 && label < categories[i])) {
          if (!keep) {
            throw new RowInputException(
                featureOf(in[i]),
                String.format(
                    "Cannot score feature '%s': its category index %s is outside the %d categories"
                        + " %s saw in training, and it fails on such rows (handleInvalid = error).",
                    featureOf(in[i]), label, categories[i], stage));
          }
          index = categories[i];
        }
        row.set(
            out[i],
            index < sizes[i]
                ? Vectors.sparse(sizes[i], new int[] {(int) index}, new double[] {1.0})
                : Vectors.sparse(sizes[i], new int[0], new double[0]));
      }
    };
  }

  private static RowStage imputer(ImputerModel model, RowColumns columns) {
    String[] inputs = names(model, "inputCol", "inputCols");
    String[] outputs = names(model, "outputCol", "outputCols");
    int n = inputs.length;
    RowColumn[] in = new RowColumn[n];
    for (int i = 0; i < n; i++) {
      in[i] = columns.input(inputs[i], model);
      requireType(model, in[i], SparkCasts.isNumber(in[i].type()), "numeric");
    }
    // The one Spark job of the compile: ImputerModel.transform reads this row for every batch.
    Row surrogates =
        model
            .surrogateDF()
            .select(Arrays.stream(inputs).map(functions::col).toArray(Column[]::new))
            .head();
    Double[] surrogate = new Double[n];
    DataType[] types = new DataType[n];
    RowColumn[] out = new RowColumn[n];
    for (int i = 0; i < n; i++) {
      surrogate[i] = surrogates.isNullAt(i) ? null : ((Number) surrogates.get(i)).doubleValue();
      types[i] = in[i].type();
    }
    for (int i = 0; i < n; i++) {
      out[i] = columns.output(outputs[i], types[i], in[i].feature());
    }
    double missing = model.getMissingValue();
    return row -> {
      for (int i = 0; i < n; i++) {
        // when(ic.isNull, s).when(ic === missingValue, s).otherwise(ic).cast(inputType), where
        // SQL's = holds for NaN = NaN.
        Double value = SparkCasts.toDouble(row.get(in[i]));
        boolean replace =
            value == null || value == missing || (Double.isNaN(value) && Double.isNaN(missing));
        Double result = replace ? surrogate[i] : value;
        row.set(out[i], result == null ? null : SparkCasts.fromDouble(result, types[i]));
      }
    };
  }

  private static RowStage assembler(VectorAssembler model, RowColumns columns) {
    String[] inputs = model.getInputCols();
    String handle = model.getHandleInvalid();
    int n = inputs.length;
    RowColumn[] in = new RowColumn[n];
    int size = 0;
    for (int i = 0; i < n; i++) {
      in[i] = columns.input(inputs[i], model);
      boolean vector = in[i].type().equals(SQLDataTypes.VectorType());
      requireType(model, in[i], vector || SparkCasts.isNumber(in[i].type()), "numeric or vector");
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
          throw new RowInputException(
              featureOf(in[i]),
              String.format(
                  "Cannot score feature '%s': it is missing (%s), and %s (handleInvalid = %s) %s"
                      + " such rows.",
                  featureOf(in[i]),
                  d == null ? "null" : "NaN",
                  stage,
                  handle,
                  handle.equals("skip") ? "drops" : "fails on"));
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

  private static RowStage slicer(VectorSlicer model, RowColumns columns) {
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
    requireType(model, in, in.type().equals(SQLDataTypes.VectorType()), "vector");
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

  private static void requireType(Transformer stage, RowColumn column, boolean ok, String valid) {
    if (!ok) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: its input '%s' has type %s; it reads %s"
                  + " columns.",
              RowScorers.describe(stage), column.name(), column.type().simpleString(), valid));
    }
  }
}
