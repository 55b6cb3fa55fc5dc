package io.nightjar.train;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.ConfigException;
import io.nightjar.config.GridKey;
import io.nightjar.config.Loss;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.regression.GBTRegressor;

/**
 * Gradient-boosted trees on Spark MLlib ({@code GBTRegressor} with squared or absolute loss, {@code GBTClassifier} with
 * log loss). MLlib trees do not accept NaN, so missing numeric values are imputed with the training median; categorical
 * levels are indexed and split on as categories (so {@code max_bins} must exceed the number of levels).
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
            + " use engine xgboost.",
        key,
        io.nightjar.config.Choices.name(loss));
  }

  @Override
  public List<PipelineStage> preparation(FeaturePlan plan) {
    return plan.stages(false, true);
  }

  @Override
  public PipelineStage estimator(Task task, CandidateSpec candidate, Map<GridKey, Double> params, boolean weighted) {
    int trees = params.getOrDefault(GridKey.NUM_TREES, (double) XGBoostFamily.DEFAULT_TREES).intValue();
    int depth = params.getOrDefault(GridKey.MAX_DEPTH, 5.0).intValue();
    double rate = params.getOrDefault(GridKey.LEARNING_RATE, 0.1);
    double subsample = params.getOrDefault(GridKey.SUBSAMPLE, 1.0);
    int minInstances = params.getOrDefault(GridKey.MIN_INSTANCES_PER_NODE, 1.0).intValue();
    int bins = params.getOrDefault(GridKey.MAX_BINS, 32.0).intValue();
    if (task == Task.CLASSIFICATION) {
      GBTClassifier classifier =
          new GBTClassifier()
              .setFeaturesCol(Columns.FEATURES)
              .setLabelCol(Columns.LABEL)
              .setPredictionCol(Columns.PREDICTION)
              .setProbabilityCol(Columns.PROBABILITY_VECTOR)
              .setRawPredictionCol(Columns.RAW_PREDICTION)
              .setMaxIter(trees)
              .setMaxDepth(depth)
              .setStepSize(rate)
              .setSubsamplingRate(subsample)
              .setMinInstancesPerNode(minInstances)
              .setMaxBins(bins)
              .setSeed(0L);
      if (weighted) {
        classifier.setWeightCol(Columns.WEIGHT);
      }
      return classifier;
    }
    GBTRegressor regressor =
        new GBTRegressor()
            .setFeaturesCol(Columns.FEATURES)
            .setLabelCol(Columns.LABEL)
            .setPredictionCol(Columns.PREDICTION)
            .setLossType(candidate.loss() == Loss.ABSOLUTE ? "absolute" : "squared")
            .setMaxIter(trees)
            .setMaxDepth(depth)
            .setStepSize(rate)
            .setSubsamplingRate(subsample)
            .setMinInstancesPerNode(minInstances)
            .setMaxBins(bins)
            .setSeed(0L);
    if (weighted) {
      regressor.setWeightCol(Columns.WEIGHT);
    }
    return regressor;
  }
}
