package io.nightjar.xgboost;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import io.nightjar.config.Loss;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.model.DenseFeatures;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.FoldFitting;
import io.nightjar.model.HingeCalibration;
import io.nightjar.model.LinearFamily;
import io.nightjar.model.ModelFamily;
import io.nightjar.model.estimators.CalibratedQuantileRegression;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import ml.dmlc.xgboost4j.scala.spark.XGBoostEstimator;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.SparkSession;

/**
 * Gradient-boosted trees on XGBoost4J-Spark (histogram method, CPU), distributed over the Spark
 * executors. Missing numeric values stay NaN, which XGBoost routes natively; categorical levels
 * become their frequency rank.
 *
 * <p>Losses map to XGBoost objectives: squared → {@code reg:squarederror}, absolute → {@code
 * reg:absoluteerror}, huber → {@code reg:pseudohubererror} with {@code huber_slope} = {@code
 * epsilon} (in label units), started from the label median ({@link MedianStartRegressor}), quantile
 * → {@code reg:quantileerror} with {@code quantile_alpha} = τ, shifted by out-of-fold residuals so
 * that coverage holds on new rows ({@link CalibratedQuantileRegression}), logistic → {@code
 * binary:logistic}, hinge → {@code binary:hinge} with probabilities calibrated on held-out rows
 * ({@link HingeCalibration}). Grid keys: num_trees → rounds, max_depth, learning_rate → eta,
 * subsample, min_instances_per_node → min_child_weight, max_bins, reg_param → lambda (L2 on leaf
 * weights).
 */
public final class XGBoostFamily implements ModelFamily {
  static final Set<Loss> LOSSES =
      EnumSet.of(Loss.SQUARED, Loss.ABSOLUTE, Loss.HUBER, Loss.QUANTILE, Loss.LOGISTIC, Loss.HINGE);

  /**
   * Working column: XGBoost's 0/1 "probability" vector of a hinge model, which the pipeline does
   * not use.
   */
  static final String HINGE_CLASS_VECTOR = "__hinge_class";

  @Override
  public void check(String key, CandidateSpec candidate) {
    ModelFamily.requireLoss(key, candidate, LOSSES, "family gbt with engine xgboost");
  }

  /**
   * Whether a fit of {@code candidate} with n trees contains, as its first k trees, the model a fit
   * with k trees makes. Plain boosters only: quantile and hinge wrap the booster in a calibration
   * fitted on its predictions, which a prefix of the trees would change.
   */
  public boolean fitsTreePrefixes(CandidateSpec candidate) {
    return EnumSet.of(Loss.SQUARED, Loss.ABSOLUTE, Loss.HUBER, Loss.LOGISTIC)
        .contains(candidate.loss());
  }

  /** Tree prefixes, fits in memory and early stopping ({@link XGBoostFits}). */
  @Override
  public FoldFitting foldFitting() {
    return new XGBoostFits(this);
  }

  @Override
  public List<PipelineStage> preparation(FeaturePlan plan) {
    List<PipelineStage> stages = new ArrayList<>(plan.stages(false, false));
    stages.add(new DenseFeatures());
    return stages;
  }

  @Override
  public PipelineStage estimator(
      Task task, CandidateSpec candidate, Map<GridKey, Double> params, boolean weighted) {
    if (task == Task.CLASSIFICATION) {
      XGBoostClassifier classifier = new XGBoostClassifier();
      classifier.setFeaturesCol(Columns.FEATURES);
      classifier.setLabelCol(Columns.LABEL);
      classifier.setPredictionCol(Columns.PREDICTION);
      classifier.setRawPredictionCol(Columns.RAW_PREDICTION);
      configure(classifier, params, weighted);
      if (candidate.loss() == Loss.HINGE) {
        // binary:hinge's "probability" is the class itself (0 or 1); the calibrator writes the real
        // one.
        classifier.setObjective("binary:hinge");
        classifier.setProbabilityCol(HINGE_CLASS_VECTOR);
        return HingeCalibration.of(classifier, weighted);
      }
      classifier.setObjective("binary:logistic");
      classifier.setProbabilityCol(Columns.PROBABILITY_VECTOR);
      return classifier;
    }
    XGBoostRegressor regressor = new XGBoostRegressor();
    regressor.setFeaturesCol(Columns.FEATURES);
    regressor.setLabelCol(Columns.LABEL);
    regressor.setPredictionCol(Columns.PREDICTION);
    switch (candidate.loss()) {
      case ABSOLUTE -> regressor.setObjective("reg:absoluteerror");
      case HUBER -> {
        regressor.setObjective("reg:pseudohubererror");
        regressor.setHuberSlope(params.getOrDefault(GridKey.EPSILON, LinearFamily.DEFAULT_EPSILON));
        configure(regressor, params, weighted);
        return new MedianStartRegressor(regressor);
      }
      case QUANTILE -> {
        configure(regressor, params, weighted);
        XGBoostQuantileRegressor quantile =
            new XGBoostQuantileRegressor(regressor, candidate.quantile());
        CalibratedQuantileRegression calibrated =
            new CalibratedQuantileRegression(quantile, candidate.quantile());
        return calibrated.setColumns(
            Columns.LABEL, Columns.PREDICTION, weighted ? Columns.WEIGHT : null);
      }
      default -> regressor.setObjective("reg:squarederror");
    }
    configure(regressor, params, weighted);
    return regressor;
  }

  /**
   * The settings both estimators share; XGBoost's Java-facing setters return Params, hence the
   * interface.
   */
  private static void configure(Object estimator, Map<GridKey, Double> params, boolean weighted) {
    var xgb = (XGBoostEstimator<?, ?>) estimator;
    xgb.setNumRound(params.getOrDefault(GridKey.NUM_TREES, (double) DEFAULT_TREES).intValue());
    xgb.setMaxDepth(params.getOrDefault(GridKey.MAX_DEPTH, 6.0).intValue());
    xgb.setEta(params.getOrDefault(GridKey.LEARNING_RATE, 0.3));
    xgb.setSubsample(params.getOrDefault(GridKey.SUBSAMPLE, 1.0));
    xgb.setMinChildWeight(params.getOrDefault(GridKey.MIN_INSTANCES_PER_NODE, 1.0));
    xgb.setMaxBins(params.getOrDefault(GridKey.MAX_BINS, 256.0).intValue());
    xgb.setLambda(params.getOrDefault(GridKey.REG_PARAM, 1.0));
    xgb.setTreeMethod("hist");
    xgb.setSeed(0L);
    xgb.setMissing(Float.NaN);
    // One XGBoost worker per task slot; each worker is one Spark task of a barrier stage.
    xgb.setNumWorkers(Math.max(1, SparkSession.active().sparkContext().defaultParallelism()));
    // A fit's workers are the tasks of a barrier stage, and Spark refuses a barrier stage whose
    // narrow lineage holds an RDD with another partition count (a union, a coalesce).
    // XGBoost4J-Spark shuffles its input into numWorkers partitions only when the counts differ, so
    // an input that already has numWorkers partitions by way of a union (e.g. a 1-partition CSV
    // split and re-joined by the quantile calibration) failed every fit. Always shuffling makes the
    // barrier stage start at the shuffle, whatever the input's lineage.
    xgb.setForceRepartition(true);
    xgb.setNthread(1);
    // Otherwise the native library prints every round's training loss on stdout.
    xgb.setVerbosity(0);
    if (weighted) {
      xgb.setWeightCol(Columns.WEIGHT);
    }
  }
}
