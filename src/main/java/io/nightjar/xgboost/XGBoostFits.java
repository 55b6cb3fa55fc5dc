package io.nightjar.xgboost;

import io.nightjar.model.CrossValidation;
import io.nightjar.model.FitGroup;
import io.nightjar.model.FoldScores;
import io.nightjar.model.SparkMlFits;
import io.nightjar.model.TreePrefixes;
import java.util.List;
import ml.dmlc.xgboost4j.scala.spark.XGBoostEstimator;
import ml.dmlc.xgboost4j.scala.spark.XGBoostModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How XGBoost candidates are evaluated on the folds: plain boosters on folds small enough to hold
 * in memory are fitted natively in Spark tasks ({@link InMemoryFits}, with {@link EarlyStopping});
 * everything else is fitted as Spark ML estimators ({@link SparkMlFits}), each of the folds fitted
 * at once with its share of the task slots as workers. Points that differ only in {@code num_trees}
 * share one fit when {@link XGBoostFamily#fitsTreePrefixes}.
 */
final class XGBoostFits extends SparkMlFits {
  XGBoostFits(XGBoostFamily family) {
    super(family::fitsTreePrefixes);
  }

  @Override
  public List<FoldScores> fit(FitGroup group, PipelineStage estimator, CrossValidation cv) {
    InMemoryFits inMemory = cv.shared(InMemoryFits.class, () -> new InMemoryFits(cv));
    if (inMemory.fits(estimator)) {
      return inMemory.evaluate(group, estimator);
    }
    return super.fit(group, estimator, cv);
  }

  /**
   * A copy with {@code workers} XGBoost workers when {@code stage} is a plain booster (wrappers
   * keep their own).
   */
  @Override
  protected PipelineStage withWorkers(PipelineStage stage, Integer workers) {
    PipelineStage own = super.withWorkers(stage, workers);
    if (workers != null && own instanceof XGBoostEstimator<?, ?> booster) {
      booster.setNumWorkers(workers);
    }
    return own;
  }

  @Override
  protected TreePrefixes prefixes(
      Transformer model, CrossValidation cv, Dataset<Row> rows, List<Integer> trees) {
    if (model instanceof XGBoostModel<?> booster) {
      return XGBoostTreePrefixes.score(booster, cv.task(), rows, trees);
    }
    return super.prefixes(model, cv, rows, trees);
  }
}
