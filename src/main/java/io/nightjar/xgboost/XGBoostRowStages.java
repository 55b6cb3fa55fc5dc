package io.nightjar.xgboost;

import io.nightjar.online.RowColumn;
import io.nightjar.online.RowColumns;
import io.nightjar.online.RowScorers;
import io.nightjar.online.RowStage;
import io.nightjar.online.StageCompiler;
import io.nightjar.online.UnsupportedStageException;
import java.util.List;
import java.util.Optional;
import ml.dmlc.xgboost4j.LabeledPoint;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.Booster;
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
 * exactly. XGBoost4J serialises predictions on one booster ({@code Booster.predict} is
 * synchronized), so concurrent requests to one XGBoost model take turns for the native call.
 *
 * <p>A row stage holds the model's Scala {@link Booster}, not only the Java booster inside it: the
 * Scala wrapper frees the native booster when it is garbage-collected, so a scorer compiled from a
 * pipeline nobody else keeps (one loaded for serving) would otherwise fail once the GC ran.
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
    Booster booster = model.nativeBooster();
    float missing = model.getMissing();
    if (!model.isDefinedNonEmpty(model.predictionCol())) {
      return row -> {};
    }
    RowColumn out = columns.output(model.getPredictionCol(), DataTypes.DoubleType, null);
    // RankerRegressorBaseModel.postTransform: the first float of the prediction, as a double.
    return row -> row.set(out, (double) predict(booster, (Vector) row.get(in), missing, false));
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
    Booster booster = model.nativeBooster();
    float missing = model.getMissing();
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
    return row -> {
      Vector features = (Vector) row.get(in);
      if (raw != null) {
        double margin = predict(booster, features, missing, true);
        row.set(raw, Vectors.dense(-margin, margin));
      }
      if (probability != null || prediction != null) {
        // XGBoostClassificationModel.postTransform of a binary model: [1 − p, p] from the float p.
        double p = predict(booster, features, missing, false);
        Vector probabilities = Vectors.dense(1.0 - p, p);
        if (probability != null) {
          row.set(probability, probabilities);
        }
        if (prediction != null) {
          row.set(prediction, model.probability2prediction(probabilities));
        }
      }
    };
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
   * The booster's first output for one row ({@code margin}: before the objective's transform), from
   * a DMatrix made as {@code Utils.asXGB} and {@code new DMatrix(points, null, missing)} make it in
   * XGBoostModel.transform.
   */
  private static float predict(Booster booster, Vector features, float missing, boolean margin) {
    LabeledPoint point;
    if (features instanceof DenseVector dense) {
      point = new LabeledPoint(0.0f, dense.size(), null, floats(dense.values()));
    } else {
      SparseVector sparse = (SparseVector) features;
      point =
          new LabeledPoint(
              0.0f, sparse.size(), sparse.indices(), floats(sparse.toDense().values()));
    }
    DMatrix matrix = null;
    try {
      matrix = new DMatrix(List.of(point).iterator(), null, missing);
      return booster.booster().predict(matrix, margin, 0)[0][0];
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost could not score the row: " + e.getMessage(), e);
    } finally {
      if (matrix != null) {
        matrix.dispose();
      }
    }
  }

  private static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
