package io.nightjar.model;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Linear fits: points of a candidate whose estimator can start from a neighbouring model ({@link
 * LinearFamily#followsRegularisationPath}) and that differ only in {@code reg_param} form a group
 * fitted along the regularisation path, each fit warm-started from the previous one's model.
 * Everything else is fitted as {@link SparkMlFits} does. {@link TuningOptions#REGULARISATION_PATH}
 * turns the path off.
 */
final class RegularisationPathFits extends SparkMlFits {
  private final LinearFamily family;

  RegularisationPathFits(LinearFamily family) {
    super(candidate -> false);
    this.family = family;
  }

  @Override
  public GridKey sharedKey(CandidateSpec candidate, TuningOptions options) {
    return options.regularisationPath() && family.followsRegularisationPath(candidate)
        ? GridKey.REG_PARAM
        : null;
  }

  @Override
  public List<FoldScores> fit(FitGroup group, PipelineStage estimator, CrossValidation cv) {
    if (group.points().size() == 1 || !family.followsRegularisationPath(group.candidate())) {
      return super.fit(group, estimator, cv);
    }
    List<CrossValidation.Fold> folds = new ArrayList<>();
    for (int fold = 0; fold < cv.folds(); fold++) {
      folds.add(cv.fold(group.family(), fold));
    }
    return cv.eachFold(
        (fold, workers) -> FoldScores.complete(followPath(group, folds.get(fold), fold, cv)));
  }

  /**
   * Follows the regularisation path on one fold: the group's points from the largest {@code
   * reg_param} down, each fit starting from the model of the one before ({@link
   * LinearFamily#startFrom}). The strongest penalty's solution is near zero, where a cold fit
   * starts too, and each smaller penalty moves the optimum a little.
   */
  private double[] followPath(
      FitGroup group, CrossValidation.Fold data, int fold, CrossValidation cv) {
    Dataset<Row> train = cv.trainingRows(data, fold, group.share(), group.rung());
    List<Integer> path = new ArrayList<>();
    for (int i = 0; i < group.points().size(); i++) {
      path.add(i);
    }
    path.sort(
        Comparator.comparingDouble((Integer i) -> group.points().get(i).get(GridKey.REG_PARAM))
            .reversed());
    double[] out = new double[path.size()];
    Transformer previous = null;
    for (int i : path) {
      PipelineStage stage =
          family.estimator(cv.task(), group.candidate(), group.points().get(i), cv.weighted());
      if (previous != null) {
        family.startFrom(stage, previous);
      }
      Transformer model = ((Estimator<?>) stage).fit(train);
      out[i] =
          cv.score(
              Predictions.predict(model, cv.task(), data.validation()),
              group.candidate().quantile());
      previous = model;
    }
    return out;
  }
}
