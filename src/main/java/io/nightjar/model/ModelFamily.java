package io.nightjar.model;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.Choices;
import io.nightjar.config.ConfigException;
import io.nightjar.config.GridKey;
import io.nightjar.config.Loss;
import io.nightjar.config.Task;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.PipelineStage;

/**
 * A way of fitting models: the feature preparation it needs and the estimator for one candidate and
 * one point of its grid. Implementations are stateless.
 */
public interface ModelFamily {
  /**
   * Trees of a boosted-tree candidate whose grid leaves {@code num_trees} out, on either engine.
   */
  int DEFAULT_TREES = 100;

  /**
   * Throws a {@link io.nightjar.config.ConfigException} naming {@code key} when this family cannot
   * fit {@code candidate} (a loss, engine or grid combination it does not support).
   */
  void check(String key, CandidateSpec candidate);

  /**
   * Throws the config error for a candidate whose loss {@code family} (e.g. "family linear") does
   * not support, naming the supported ones.
   */
  static void requireLoss(String key, CandidateSpec candidate, Set<Loss> supported, String family) {
    ConfigException.check(
        supported.contains(candidate.loss()),
        "Invalid value for '%s.loss': %s supports %s in this release, not '%s'.",
        key,
        family,
        String.join(", ", supported.stream().map(Choices::name).toList()),
        Choices.name(candidate.loss()));
  }

  /**
   * Feature preparation: the stages that turn raw rows into {@link
   * io.nightjar.data.Columns#FEATURES}. They do not depend on grid points, so tuning fits them once
   * per fold.
   */
  List<PipelineStage> preparation(FeaturePlan plan);

  /**
   * The estimator for one grid point, reading {@link io.nightjar.data.Columns#FEATURES} and writing
   * {@link io.nightjar.data.Columns#PREDICTION} (and {@link
   * io.nightjar.data.Columns#PROBABILITY_VECTOR} for classification).
   */
  PipelineStage estimator(
      Task task, CandidateSpec candidate, Map<GridKey, Double> params, boolean weighted);

  /**
   * How tuning evaluates this family's grid points on the cross-validation folds: which points
   * share a fit (tree prefixes, the regularisation path) and how a group is fitted. One Spark ML
   * fit per point unless the family says otherwise.
   */
  default FoldFitting foldFitting() {
    return SparkMlFits.EACH_POINT;
  }
}
