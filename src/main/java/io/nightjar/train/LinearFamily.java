package io.nightjar.train;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.ConfigException;
import io.nightjar.config.GridKey;
import io.nightjar.config.Loss;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.regression.LinearRegression;

/**
 * Linear models on Spark MLlib: least squares (weighted when the spec has a weight column), Huber regression, and
 * logistic regression. Categorical features are one-hot encoded and missing numeric values imputed with the training
 * median, both inside the saved pipeline.
 */
public final class LinearFamily implements ModelFamily {
  static final Set<Loss> LOSSES = EnumSet.of(Loss.SQUARED, Loss.HUBER, Loss.LOGISTIC);
  static final double DEFAULT_EPSILON = 1.35;

  @Override
  public void check(String key, CandidateSpec candidate) {
    ModelFamily.requireLoss(key, candidate, LOSSES, "family linear");
    if (candidate.loss() == Loss.HUBER) {
      // Spark's Huber regression supports L2 regularisation only.
      List<Double> mixes = candidate.grid().getOrDefault(GridKey.ELASTIC_NET, List.of(0.0));
      ConfigException.check(
          mixes.stream().allMatch(v -> v == 0.0),
          "Invalid value for '%s.grid.elastic_net': loss huber supports only elastic_net 0 (L2 regularisation).",
          key);
    }
  }

  @Override
  public List<PipelineStage> preparation(FeaturePlan plan) {
    return plan.stages(true, true);
  }

  @Override
  public PipelineStage estimator(Task task, CandidateSpec candidate, Map<GridKey, Double> params, boolean weighted) {
    double reg = params.getOrDefault(GridKey.REG_PARAM, 0.0);
    double mix = params.getOrDefault(GridKey.ELASTIC_NET, 0.0);
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
}
