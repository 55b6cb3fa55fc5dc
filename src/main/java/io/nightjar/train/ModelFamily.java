package io.nightjar.train;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import io.nightjar.config.Task;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineStage;

/**
 * A way of fitting models: the feature preparation it needs and the estimator for one candidate and one point of its
 * grid. Implementations are stateless.
 */
public interface ModelFamily {
  /**
   * Throws a {@link io.nightjar.config.ConfigException} naming {@code key} when this family cannot fit {@code
   * candidate} (a loss, engine or grid combination it does not support).
   */
  void check(String key, CandidateSpec candidate);

  /**
   * Throws the config error for a candidate whose loss {@code family} (e.g. "family linear") does not support,
   * naming the supported ones.
   */
  static void requireLoss(String key, CandidateSpec candidate, java.util.Set<io.nightjar.config.Loss> supported,
      String family) {
    io.nightjar.config.ConfigException.check(
        supported.contains(candidate.loss()),
        "Invalid value for '%s.loss': %s supports %s in this release, not '%s'.",
        key,
        family,
        String.join(", ", supported.stream().map(io.nightjar.config.Choices::name).toList()),
        io.nightjar.config.Choices.name(candidate.loss()));
  }

  /**
   * Feature preparation: the stages that turn raw rows into {@link io.nightjar.data.Columns#FEATURES}. They do not
   * depend on grid points, so tuning fits them once per fold.
   */
  List<PipelineStage> preparation(FeaturePlan plan);

  /**
   * The estimator for one grid point, reading {@link io.nightjar.data.Columns#FEATURES} and writing {@link
   * io.nightjar.data.Columns#PREDICTION} (and {@link io.nightjar.data.Columns#PROBABILITY_VECTOR} for
   * classification).
   */
  PipelineStage estimator(Task task, CandidateSpec candidate, Map<GridKey, Double> params, boolean weighted);

  /**
   * Whether a fit of {@code candidate} with n trees contains, as its first k trees, the model a fit with k trees
   * makes, so that tuning can evaluate every {@code num_trees} value of a grid from one fit ({@link TreePrefixes}).
   * False unless the family says so.
   */
  default boolean fitsTreePrefixes(CandidateSpec candidate) {
    return false;
  }

  /**
   * Whether fits of {@code candidate} can start from the model of a neighbouring {@code reg_param} value ({@link
   * #startFrom}), so that tuning can follow the regularisation path from the strongest penalty down. The optimum does
   * not depend on the start, only the iterations to reach it. False unless the family says so.
   */
  default boolean followsRegularisationPath(CandidateSpec candidate) {
    return false;
  }

  /**
   * Sets {@code estimator} (from {@link #estimator}) to start its fit from {@code previous}, a model fitted on the same
   * prepared rows with another {@code reg_param}. Only called when {@link #followsRegularisationPath} is true.
   */
  default void startFrom(PipelineStage estimator, org.apache.spark.ml.Transformer previous) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " fits every reg_param from scratch");
  }
}
