package io.nightjar.model;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.Choices;
import io.nightjar.config.ConfigException;
import io.nightjar.config.GridKey;
import io.nightjar.config.Loss;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.regression.GBTRegressor;

/**
 * Gradient-boosted trees on Spark MLlib ({@code GBTRegressor} with squared or absolute loss, {@code
 * GBTClassifier} with log loss). Huber, quantile and hinge are refused with advice to use engine
 * xgboost: MLlib's tree losses stop there, and its old RDD API's custom losses refit no leaf values
 * (docs/losses.md). MLlib trees do not accept NaN, so missing numeric values are imputed with the
 * training median; categorical levels are indexed and split on as categories (so {@code max_bins}
 * must exceed the number of levels).
 */
public final class MllibGbtFamily implements ModelFamily {
  @Override
  public void check(String key, CandidateSpec candidate) {
    Loss loss = candidate.loss();
    ConfigException.check(
        loss != Loss.HINGE,
        "Invalid value for '%s.loss': family gbt with engine mllib supports only logistic for classification (Spark's"
            + " GBTClassifier); use engine xgboost or family linear for hinge.",
        key);
    ConfigException.check(
        loss == Loss.SQUARED || loss == Loss.ABSOLUTE || loss == Loss.LOGISTIC,
        "Invalid value for '%s.loss': family gbt with engine mllib supports squared, absolute and logistic, not '%s';"
            + " use engine xgboost, which supports %s.",
        key,
        Choices.name(loss),
        Choices.name(loss));
  }

  /**
   * Every candidate fits tree prefixes ({@link SparkMlFits}): MLlib's boosting draws each round's
   * subsample with its own seed, so prefixes match shorter fits.
   */
  @Override
  public FoldFitting foldFitting() {
    return new SparkMlFits(candidate -> true);
  }

  @Override
  public List<PipelineStage> preparation(FeaturePlan plan) {
    return plan.stages(false, true);
  }

  @Override
  public PipelineStage estimator(
      Task task, CandidateSpec candidate, Map<GridKey, Double> params, boolean weighted) {
    int trees = params.getOrDefault(GridKey.NUM_TREES, (double) DEFAULT_TREES).intValue();
    Predictor<?, ?, ?> gbt;
    if (task == Task.CLASSIFICATION) {
      gbt =
          new GBTClassifier()
              .setProbabilityCol(Columns.PROBABILITY_VECTOR)
              .setRawPredictionCol(Columns.RAW_PREDICTION);
    } else {
      gbt =
          new GBTRegressor()
              .setLossType(candidate.loss() == Loss.ABSOLUTE ? "absolute" : "squared");
    }
    // GBTClassifier and GBTRegressor share these params by name but no Java-visible setter
    // interface.
    set(gbt, "featuresCol", Columns.FEATURES);
    set(gbt, "labelCol", Columns.LABEL);
    set(gbt, "predictionCol", Columns.PREDICTION);
    set(gbt, "maxIter", trees);
    set(gbt, "maxDepth", params.getOrDefault(GridKey.MAX_DEPTH, 5.0).intValue());
    set(gbt, "stepSize", params.getOrDefault(GridKey.LEARNING_RATE, 0.1));
    set(gbt, "subsamplingRate", params.getOrDefault(GridKey.SUBSAMPLE, 1.0));
    set(
        gbt,
        "minInstancesPerNode",
        params.getOrDefault(GridKey.MIN_INSTANCES_PER_NODE, 1.0).intValue());
    set(gbt, "maxBins", params.getOrDefault(GridKey.MAX_BINS, 32.0).intValue());
    set(gbt, "seed", 0L);
    if (weighted) {
      set(gbt, "weightCol", Columns.WEIGHT);
    }
    return gbt;
  }

  private static void set(Params estimator, String param, Object value) {
    estimator.set(estimator.getParam(param), value);
  }
}
