package io.nightjar.model;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import java.util.List;
import org.apache.spark.ml.PipelineStage;

/**
 * How a family evaluates grid points on the cross-validation folds ({@link
 * ModelFamily#foldFitting}): which points one fit (or one chain of fits) per fold can serve, and
 * how such a group is fitted and scored on every fold. The search groups the points and aggregates
 * the fold results; everything engine-specific happens here.
 */
public interface FoldFitting {
  /**
   * The grid key whose values the points of {@code candidate} may differ in and still be evaluated
   * together, or null when each point is fitted on its own: {@code num_trees} for tree prefixes,
   * {@code reg_param} for the regularisation path.
   */
  GridKey sharedKey(CandidateSpec candidate, TuningOptions options);

  /**
   * Fits {@code group} on every fold of {@code cv} and scores each of its points on the fold's
   * validation rows. {@code estimator} is the family's estimator for the group's point with the
   * most trees (its first point when none has trees). Returns one result per fold, in fold order;
   * throws when a fit fails.
   */
  List<FoldScores> fit(FitGroup group, PipelineStage estimator, CrossValidation cv);
}
