package io.nightjar.xgboost;

import io.nightjar.online.RowColumn;
import io.nightjar.online.RowColumns;
import io.nightjar.online.RowScorers;
import io.nightjar.online.RowStage;
import io.nightjar.online.RowState;
import io.nightjar.online.StageCompiler;
import io.nightjar.online.UnsupportedStageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import ml.dmlc.xgboost4j.LabeledPoint;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.DataTypes;

/**
 * XGBoost4J-Spark 3.1.1's fitted models for the row scorer: each row goes to the model's native
 * booster as a one-row {@link DMatrix} built as {@code XGBoostModel.transform} builds its batches
 * (features as floats, {@code missing} from the model, so NaN is XGBoost's missing value), and the
 * booster's float answers become the output columns as that transform and the models' {@code
 * postTransform} make them. The native library computes the answer in both paths, so they agree
 * exactly. The stage scores with copies of the model's booster set to one native thread ({@link
 * Boosters}); a batch ({@code RowScorer.scoreAll}) makes one native call for all its rows.
 */
public final class XGBoostRowStages implements StageCompiler {
  @Override
  public Optional<RowStage> find(Transformer stage, RowColumns columns) {
    if (stage instanceof XGBoostRegressionModel regression) {
      return Optional.of(regression(regression, columns));
    }
    if (stage instanceof XGBoostClassificationModel classification) {
      return Optional.of(classification(classification, columns));
    }
    return Optional.empty();
  }

  private static RowStage regression(XGBoostRegressionModel model, RowColumns columns) {
    RowColumn in = features(model, columns);
    if (!model.isDefinedNonEmpty(model.predictionCol())) {
      return row -> {};
    }
    RowColumn out = columns.output(model.getPredictionCol(), DataTypes.DoubleType, null);
    // RankerRegressorBaseModel.postTransform: the first float of the prediction, as a double.
    return new BoosterStage(
        in,
        Boosters.forRows(model.nativeBooster(), model),
        model.getMissing(),
        false,
        (row, margin, p) -> row.set(out, p));
  }

  private static RowStage classification(XGBoostClassificationModel model, RowColumns columns) {
    if (model.numClasses() != 2) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: it has %d classes; online scoring supports"
                  + " binary XGBoost classifiers.",
              RowScorers.describe(model), model.numClasses()));
    }
    RowColumn in = features(model, columns);
    RowColumn raw =
        model.isDefinedNonEmpty(model.rawPredictionCol())
            ? columns.vector(model.getRawPredictionCol(), 2, null)
            : null;
    RowColumn probability =
        model.isDefinedNonEmpty(model.probabilityCol())
            ? columns.vector(model.getProbabilityCol(), 2, null)
            : null;
    RowColumn prediction =
        model.isDefinedNonEmpty(model.predictionCol())
            ? columns.output(model.getPredictionCol(), DataTypes.DoubleType, null)
            : null;
    return new BoosterStage(
        in,
        Boosters.forRows(model.nativeBooster(), model),
        model.getMissing(),
        raw != null,
        (row, margin, p) -> {
          if (raw != null) {
            row.set(raw, Vectors.dense(-margin, margin));
          }
          if (probability != null || prediction != null) {
            // XGBoostClassificationModel.postTransform of a binary model: [1 − p, p] from the
            // float p.
            Vector probabilities = Vectors.dense(1.0 - p, p);
            if (probability != null) {
              row.set(probability, probabilities);
            }
            if (prediction != null) {
              row.set(prediction, model.probability2prediction(probabilities));
            }
          }
        });
  }

  /** Writes one row's output columns from the booster's margin and transformed answer for it. */
  @FunctionalInterface
  private interface Outputs {
    void write(RowState row, double margin, double prediction);
  }

  /**
   * A booster over a features column: a batch of rows goes to the native library as one DMatrix, as
   * XGBoostModel.transform sends a partition's rows, so a batch pays the native call's fixed cost
   * (DMatrix creation, the synchronized predict) once rather than per row.
   *
   * @param margin whether the outputs read the margin (a second prediction on the same DMatrix)
   */
  private record BoosterStage(
      RowColumn in, Boosters booster, float missing, boolean margin, Outputs outputs)
      implements RowStage {
    @Override
    public void apply(RowState row) {
      applyAll(List.of(row));
    }

    @Override
    public void applyAll(List<RowState> rows) {
      List<Vector> features = new ArrayList<>(rows.size());
      for (RowState row : rows) {
        features.add((Vector) row.get(in));
      }
      DMatrix matrix = matrix(features, missing);
      float[][] margins;
      float[][] predictions;
      try {
        // One DMatrix for both answers: building it is most of a small batch's native work.
        margins = margin ? booster.predict(matrix, true) : null;
        predictions = booster.predict(matrix, false);
      } catch (XGBoostError e) {
        throw new IllegalStateException("XGBoost could not score the rows: " + e.getMessage(), e);
      } finally {
        matrix.dispose();
      }
      for (int i = 0; i < rows.size(); i++) {
        outputs.write(rows.get(i), margins == null ? 0.0 : margins[i][0], predictions[i][0]);
      }
    }
  }

  /** The features column; refuses what this compiler does not reproduce. */
  private static RowColumn features(Params model, RowColumns columns) {
    Transformer stage = (Transformer) model;
    for (String param : List.of("leafPredictionCol", "contribPredictionCol")) {
      if (model.isDefined(model.getParam(param))
          && !((String) model.getOrDefault(model.getParam(param))).isEmpty()) {
        throw new UnsupportedStageException(
            String.format(
                "Cannot compile %s for online scoring: its %s is set; online scoring gives"
                    + " predictions only.",
                RowScorers.describe(stage), param));
      }
    }
    if (model.isSet(model.getParam("featuresCols"))
        && ((String[]) model.getOrDefault(model.getParam("featuresCols"))).length > 0) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: it reads separate feature columns"
                  + " (featuresCols); online scoring supports a features vector.",
              RowScorers.describe(stage)));
    }
    String name = (String) model.getOrDefault(model.getParam("featuresCol"));
    RowColumn in = columns.input(name, stage);
    if (!in.type().equals(SQLDataTypes.VectorType())) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: its features column '%s' has type %s, not"
                  + " vector.",
              RowScorers.describe(stage), name, in.type().simpleString()));
    }
    return in;
  }

  /**
   * The rows as a DMatrix with the entries XGBoostModel.transform gives the booster. Dense rows
   * (what a request's features assemble to) go in as one row-major array: the same entries, missing
   * values dropped the same way, without the 32,768-slot batch list xgboost4j allocates for every
   * DMatrix built from an iterator (128 KiB per request, most of a serving JVM's garbage). Any
   * sparse row sends the batch the way {@code Utils.asXGB} and {@code new DMatrix(points, null,
   * missing)} do, quirks included.
   */
  private static DMatrix matrix(List<Vector> rows, float missing) {
    float[] rowMajor = denseRows(rows);
    if (rowMajor != null) {
      try {
        return new DMatrix(rowMajor, rows.size(), rows.get(0).size(), missing);
      } catch (XGBoostError e) {
        throw new IllegalStateException("XGBoost could not read the rows: " + e.getMessage(), e);
      }
    }
    List<LabeledPoint> points = new ArrayList<>(rows.size());
    for (Vector features : rows) {
      if (features instanceof DenseVector dense) {
        points.add(new LabeledPoint(0.0f, dense.size(), null, floats(dense.values())));
      } else {
        SparseVector sparse = (SparseVector) features;
        points.add(
            new LabeledPoint(
                0.0f, sparse.size(), sparse.indices(), floats(sparse.toDense().values())));
      }
    }
    try {
      return new DMatrix(points.iterator(), null, missing);
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost could not read the rows: " + e.getMessage(), e);
    }
  }

  /** The rows one after another as floats, or null unless every row is dense and of one size. */
  private static float[] denseRows(List<Vector> rows) {
    int width = rows.isEmpty() ? 0 : rows.get(0).size();
    for (Vector row : rows) {
      if (!(row instanceof DenseVector) || row.size() != width) {
        return null;
      }
    }
    if (width == 0) {
      return null;
    }
    float[] out = new float[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) {
      double[] values = ((DenseVector) rows.get(r)).values();
      for (int i = 0; i < width; i++) {
        out[r * width + i] = (float) values[i];
      }
    }
    return out;
  }

  private static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
