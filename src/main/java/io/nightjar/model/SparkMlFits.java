package io.nightjar.model;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The usual way to evaluate points: one Spark ML fit of the estimator per fold on the fold's cached
 * rows, {@link CrossValidation#concurrentFits} folds at once. When the family fits tree prefixes,
 * points of a candidate that differ only in {@code num_trees} share one fit with the largest value
 * per fold, and every value is scored from the first trees of that fit ({@link TreePrefixes}),
 * which is what a fit with fewer trees gives.
 */
public class SparkMlFits implements FoldFitting {
  /** One fit per point and fold, no sharing. */
  public static final SparkMlFits EACH_POINT = new SparkMlFits(candidate -> false);

  private final Predicate<CandidateSpec> treePrefixes;

  /**
   * @param treePrefixes whether fits of a candidate contain the fits with fewer trees as their
   *     first trees
   */
  public SparkMlFits(Predicate<CandidateSpec> treePrefixes) {
    this.treePrefixes = treePrefixes;
  }

  @Override
  public GridKey sharedKey(CandidateSpec candidate, TuningOptions options) {
    return treePrefixes.test(candidate) ? GridKey.NUM_TREES : null;
  }

  @Override
  public List<FoldScores> fit(FitGroup group, PipelineStage estimator, CrossValidation cv) {
    List<CrossValidation.Fold> folds = new ArrayList<>();
    for (int fold = 0; fold < cv.folds(); fold++) {
      folds.add(cv.fold(group.family(), fold));
    }
    return cv.eachFold(
        (fold, workers) ->
            FoldScores.complete(
                fitFold(group, withWorkers(estimator, workers), folds.get(fold), fold, cv)));
  }

  private double[] fitFold(
      FitGroup group,
      PipelineStage estimator,
      CrossValidation.Fold data,
      int fold,
      CrossValidation cv) {
    Transformer model =
        ((Estimator<?>) estimator).fit(cv.trainingRows(data, fold, group.share(), group.rung()));
    Double quantile = group.candidate().quantile();
    double[] out = new double[group.points().size()];
    if (out.length == 1) {
      out[0] = cv.score(Predictions.predict(model, cv.task(), data.validation()), quantile);
      return out;
    }
    List<Integer> trees = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      trees.add((int) group.trees(i, 0.0));
    }
    try (TreePrefixes prefixes = prefixes(model, cv, data.validation(), trees)) {
      for (int i = 0; i < out.length; i++) {
        out[i] = cv.score(prefixes.withTrees(trees.get(i)), quantile);
      }
    }
    return out;
  }

  /**
   * A copy of {@code stage} for one of several folds fitted at once, each with {@code workers} task
   * slots; {@code stage} itself when {@code workers} is null (one fold at a time).
   */
  protected PipelineStage withWorkers(PipelineStage stage, Integer workers) {
    return workers == null ? stage : stage.copy(new ParamMap());
  }

  /** {@code rows} scored with the first k trees of {@code model} for every k in {@code trees}. */
  protected TreePrefixes prefixes(
      Transformer model, CrossValidation cv, Dataset<Row> rows, List<Integer> trees) {
    return TreePrefixes.score(model, cv.task(), rows, trees);
  }
}
