package io.nightjar.online;

import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.ClassificationModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.sql.types.DataTypes;

/**
 * Spark MLlib's fitted models that Nightjar trains: {@code GBTRegressionModel}, {@code
 * LinearRegressionModel} (also what Nightjar's quantile regression fits), {@code
 * GBTClassificationModel}, {@code LogisticRegressionModel} (also the Platt calibrator) and {@code
 * LinearSVCModel}. Each row goes through the model's own public methods ({@code predict}, {@code
 * predictRaw}, {@code raw2probability}, ...) in the order Spark 3.5's {@code
 * ClassificationModel.transform} and {@code ProbabilisticClassificationModel.transform} call them,
 * so the answer is Spark's to the last bit. Other model classes are left to other compilers (and
 * refused when none knows them): a class this list does not name may override {@code transform}.
 */
final class ModelStages {
  private ModelStages() {}

  static RowStage gbtRegression(GBTRegressionModel model, RowColumns columns) {
    requireEmpty(model, model.getLeafCol(), "leafCol");
    return regression(model, columns);
  }

  static RowStage gbtClassification(GBTClassificationModel model, RowColumns columns) {
    requireEmpty(model, model.getLeafCol(), "leafCol");
    return probabilistic(model, columns);
  }

  private static RowColumn features(PredictionModel<Vector, ?> model, RowColumns columns) {
    RowColumn in = columns.input(model.getFeaturesCol(), model);
    if (!in.type().equals(SQLDataTypes.VectorType())
        || (in.size() >= 0 && model.numFeatures() >= 0 && in.size() != model.numFeatures())) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: it reads %d features from '%s', which is"
                  + " %s.",
              RowScorers.describe(model),
              model.numFeatures(),
              in.name(),
              in.type().equals(SQLDataTypes.VectorType())
                  ? "a vector of " + in.size()
                  : "of type " + in.type().simpleString()));
    }
    return in;
  }

  /** PredictionModel.transform: {@code predict(features)} into the prediction column. */
  static RowStage regression(PredictionModel<Vector, ?> model, RowColumns columns) {
    RowColumn in = features(model, columns);
    if (model.getPredictionCol().isEmpty()) {
      return row -> {};
    }
    RowColumn out = columns.output(model.getPredictionCol(), DataTypes.DoubleType, null);
    return row -> row.set(out, model.predict((Vector) row.get(in)));
  }

  /** ClassificationModel.transform: the raw prediction, then the class from it. */
  static RowStage classification(ClassificationModel<Vector, ?> model, RowColumns columns) {
    RowColumn in = features(model, columns);
    RowColumn raw = vectorOut(columns, model.getRawPredictionCol(), model.numClasses());
    RowColumn prediction = scalarOut(columns, model.getPredictionCol());
    return row -> {
      Vector features = (Vector) row.get(in);
      Vector rawValue = rawPrediction(model, features, row, raw);
      if (prediction != null) {
        row.set(
            prediction,
            rawValue != null ? model.raw2prediction(rawValue) : model.predict(features));
      }
    };
  }

  /** ProbabilisticClassificationModel.transform: raw prediction, probability, class. */
  static RowStage probabilistic(
      ProbabilisticClassificationModel<Vector, ?> model, RowColumns columns) {
    RowColumn in = features(model, columns);
    RowColumn raw = vectorOut(columns, model.getRawPredictionCol(), model.numClasses());
    RowColumn probability = vectorOut(columns, model.getProbabilityCol(), model.numClasses());
    RowColumn prediction = scalarOut(columns, model.getPredictionCol());
    return row -> {
      Vector features = (Vector) row.get(in);
      Vector rawValue = rawPrediction(model, features, row, raw);
      Vector probabilityValue = null;
      if (probability != null) {
        probabilityValue =
            rawValue != null ? model.raw2probability(rawValue) : model.predictProbability(features);
        row.set(probability, probabilityValue);
      }
      if (prediction != null) {
        double value;
        if (rawValue != null) {
          value = model.raw2prediction(rawValue);
        } else if (probabilityValue != null) {
          value = model.probability2prediction(probabilityValue);
        } else {
          value = model.predict(features);
        }
        row.set(prediction, value);
      }
    };
  }

  /**
   * Writes {@code model}'s raw prediction of {@code features} into column {@code raw} and returns
   * it; null, computing nothing, when the stage writes no raw prediction column.
   */
  private static Vector rawPrediction(
      ClassificationModel<Vector, ?> model, Vector features, RowState row, RowColumn raw) {
    if (raw == null) {
      return null;
    }
    Vector value = model.predictRaw(features);
    row.set(raw, value);
    return value;
  }

  private static RowColumn vectorOut(RowColumns columns, String name, int size) {
    return name.isEmpty() ? null : columns.vector(name, size, null);
  }

  private static RowColumn scalarOut(RowColumns columns, String name) {
    return name.isEmpty() ? null : columns.output(name, DataTypes.DoubleType, null);
  }

  private static void requireEmpty(Transformer stage, String value, String param) {
    if (!value.isEmpty()) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: its %s is set ('%s'); online scoring gives"
                  + " predictions only.",
              RowScorers.describe(stage), param, value));
    }
  }
}
