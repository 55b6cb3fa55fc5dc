package io.nightjar.online;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.feature.ImputerModel;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.StringIndexerModel;
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
 * ImputerModel} (its surrogates read once, here). Every {@code handleInvalid} setting is honoured:
 * {@code keep} as Spark keeps, {@code error} and {@code skip} (which fail or drop the row in a
 * batch) as a {@link RowInputException} naming the feature.
 */
final class FeatureStages {
  private FeatureStages() {}

  /** The single-column or multi-column form of a stage's input or output columns. */
  private static String[] names(Params stage, String single, String multi) {
    Param<?> many = stage.getParam(multi);
    if (stage.isSet(many)) {
      return (String[]) stage.getOrDefault(many);
    }
    return new String[] {(String) stage.getOrDefault(stage.getParam(single))};
  }

  static RowStage indexer(StringIndexerModel model, RowColumns columns) {
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
      RowColumns.requireType(model, in[i], SparkCasts.isText(in[i].type()), "string or numeric");
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
            throw RowInputException.handleInvalid(
                in[i].featureName(),
                "has " + shown,
                stage,
                handle,
                "; known levels: " + labels[i].length);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        row.set(out[i], found[i]);
      }
    };
  }

  static RowStage oneHot(OneHotEncoderModel model, RowColumns columns) {
    String[] inputs = names(model, "inputCol", "inputCols");
    String[] outputs = names(model, "outputCol", "outputCols");
    int[] categories = model.categorySizes().clone();
    boolean keep = model.getHandleInvalid().equals("keep");
    boolean dropLast = model.getDropLast();
    int n = inputs.length;
    RowColumn[] in = new RowColumn[n];
    RowColumn[] out = new RowColumn[n];
    int[] sizes = new int[n];
    for (int i = 0; i < n; i++) {
      in[i] = columns.input(inputs[i], model);
      RowColumns.requireType(model, in[i], SparkCasts.isNumber(in[i].type()), "numeric");
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
                in[i].featureName(),
                String.format(
                    "Cannot score feature '%s': its category index %s is outside the %d categories"
                        + " %s saw in training, and it fails on such rows (handleInvalid = error).",
                    in[i].featureName(), label, categories[i], stage));
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

  static RowStage imputer(ImputerModel model, RowColumns columns) {
    String[] inputs = names(model, "inputCol", "inputCols");
    String[] outputs = names(model, "outputCol", "outputCols");
    int n = inputs.length;
    RowColumn[] in = new RowColumn[n];
    for (int i = 0; i < n; i++) {
      in[i] = columns.input(inputs[i], model);
      RowColumns.requireType(model, in[i], SparkCasts.isNumber(in[i].type()), "numeric");
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
}
