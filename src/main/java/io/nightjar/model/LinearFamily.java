package io.nightjar.model;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.Choices;
import io.nightjar.config.ConfigException;
import io.nightjar.config.GridKey;
import io.nightjar.config.Loss;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.model.estimators.LinearQuantileRegression;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LinearSVC;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.regression.LinearRegression;

/**
 * Linear models on Spark MLlib: least squares (weighted when the spec has a weight column), Huber
 * regression, quantile regression ({@code absolute} is its median), logistic regression, and hinge
 * loss ({@code LinearSVC}) with probabilities calibrated on held-out rows. Categorical features are
 * one-hot encoded and missing numeric values imputed with the training median, both inside the
 * saved pipeline.
 */
public final class LinearFamily implements ModelFamily {
  static final Set<Loss> LOSSES =
      EnumSet.of(Loss.SQUARED, Loss.ABSOLUTE, Loss.HUBER, Loss.QUANTILE, Loss.LOGISTIC, Loss.HINGE);

  /**
   * Losses whose estimator has an L2 penalty only, so {@code elastic_net} must be 0; with the
   * reason.
   */
  private static final Map<Loss, String> L2_ONLY =
      Map.of(
          Loss.HUBER, "Spark's Huber regression",
          Loss.ABSOLUTE, "Nightjar's quantile regression",
          Loss.QUANTILE, "Nightjar's quantile regression",
          Loss.HINGE, "Spark's LinearSVC");

  /** Huber's {@code epsilon} when a grid leaves it out (XGBoost's {@code huber_slope} too). */
  public static final double DEFAULT_EPSILON = 1.35;

  @Override
  public void check(String key, CandidateSpec candidate) {
    ModelFamily.requireLoss(key, candidate, LOSSES, "family linear");
    String estimator = L2_ONLY.get(candidate.loss());
    if (estimator != null) {
      List<Double> mixes = candidate.grid().getOrDefault(GridKey.ELASTIC_NET, List.of(0.0));
      ConfigException.check(
          mixes.stream().allMatch(v -> v == 0.0)
              && !candidate.ranges().containsKey(GridKey.ELASTIC_NET),
          "Invalid value for '%s.grid.elastic_net': loss %s supports only elastic_net 0 (L2"
              + " regularisation, as %s has no L1 penalty).",
          key,
          Choices.name(candidate.loss()),
          estimator);
    }
  }

  @Override
  public List<PipelineStage> preparation(FeaturePlan plan) {
    return plan.stages(true, true);
  }

  @Override
  public PipelineStage estimator(
      Task task, CandidateSpec candidate, Map<GridKey, Double> params, boolean weighted) {
    double reg = params.getOrDefault(GridKey.REG_PARAM, 0.0);
    double mix = params.getOrDefault(GridKey.ELASTIC_NET, 0.0);
    switch (candidate.loss()) {
      case QUANTILE, ABSOLUTE -> {
        // Absolute loss is pinball loss at τ = 0.5 (half the absolute error), so both fit the same
        // way.
        double tau = candidate.loss() == Loss.QUANTILE ? candidate.quantile() : 0.5;
        return new LinearQuantileRegression()
            .setColumns(
                Columns.FEATURES,
                Columns.LABEL,
                Columns.PREDICTION,
                weighted ? Columns.WEIGHT : null)
            .setQuantile(tau)
            .setRegParam(reg);
      }
      case HINGE -> {
        LinearSVC svm =
            new LinearSVC()
                .setFeaturesCol(Columns.FEATURES)
                .setLabelCol(Columns.LABEL)
                .setPredictionCol(Columns.PREDICTION)
                .setRawPredictionCol(Columns.RAW_PREDICTION)
                .setRegParam(reg)
                .setMaxIter(100);
        if (weighted) {
          svm.setWeightCol(Columns.WEIGHT);
        }
        return HingeCalibration.of(svm, weighted);
      }
      default -> {}
    }
    if (candidate.loss() == Loss.LOGISTIC) {
      LogisticRegression logistic =
          new LogisticRegression()
              .setFeaturesCol(Columns.FEATURES)
              .setLabelCol(Columns.LABEL)
              .setPredictionCol(Columns.PREDICTION)
              .setProbabilityCol(Columns.PROBABILITY_VECTOR)
              .setRawPredictionCol(Columns.RAW_PREDICTION)
              .setFamily("binomial")
              .setRegParam(reg)
              .setElasticNetParam(mix)
              .setMaxIter(100);
      if (weighted) {
        logistic.setWeightCol(Columns.WEIGHT);
      }
      return logistic;
    }
    LinearRegression linear =
        new LinearRegression()
            .setFeaturesCol(Columns.FEATURES)
            .setLabelCol(Columns.LABEL)
            .setPredictionCol(Columns.PREDICTION)
            .setRegParam(reg)
            .setElasticNetParam(mix)
            .setMaxIter(100);
    if (candidate.loss() == Loss.HUBER) {
      linear.setLoss("huber").setEpsilon(params.getOrDefault(GridKey.EPSILON, DEFAULT_EPSILON));
    }
    if (weighted) {
      linear.setWeightCol(Columns.WEIGHT);
    }
    return linear;
  }

  /**
   * Logistic regression can start from another model's coefficients (Spark's {@code
   * setInitialModel}, scaled into its standardised space and used as L-BFGS/OWL-QN's first point).
   * Spark 3.5 marks it {@code private[spark]}, which Scala compiles to a public method; {@code
   * LinearPathTest} checks the path still ends where cold fits end. Least squares with {@code
   * elastic_net} 0 is solved exactly in one pass (normal equations); Huber, elastic-net least
   * squares and {@code LinearSVC} have no initial model in Spark 3.5; quantile regression's
   * reweighting restarts its smoothing schedule on every fit. Those fit every value from scratch.
   * The optimum does not depend on the start, only the iterations to reach it.
   */
  public boolean followsRegularisationPath(CandidateSpec candidate) {
    return candidate.loss() == Loss.LOGISTIC;
  }

  /**
   * Sets {@code estimator} (from {@link #estimator}) to start its fit from {@code previous}, a
   * model fitted on the same prepared rows with another {@code reg_param}. Only for candidates that
   * {@link #followsRegularisationPath}.
   */
  public void startFrom(PipelineStage estimator, Transformer previous) {
    ((LogisticRegression) estimator).setInitialModel((LogisticRegressionModel) previous);
  }

  /** Logistic candidates follow the regularisation path ({@link RegularisationPathFits}). */
  @Override
  public FoldFitting foldFitting() {
    return new RegularisationPathFits(this);
  }
}
