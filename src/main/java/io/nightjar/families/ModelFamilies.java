package io.nightjar.families;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.Engine;
import io.nightjar.config.Family;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.Task;
import io.nightjar.model.LinearFamily;
import io.nightjar.model.MllibGbtFamily;
import io.nightjar.model.ModelFamily;
import io.nightjar.online.RowScorer;
import io.nightjar.online.RowScorers;
import io.nightjar.xgboost.XGBoostFamily;
import io.nightjar.xgboost.XGBoostRowStages;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.types.StructType;

/**
 * Finds the {@link ModelFamily} for a candidate, checks that a whole spec can be trained, and
 * compiles any family's fitted pipeline for scoring one row online.
 */
public final class ModelFamilies {
  private static final ModelFamily LINEAR = new LinearFamily();
  private static final ModelFamily XGBOOST = new XGBoostFamily();
  private static final ModelFamily MLLIB_GBT = new MllibGbtFamily();

  private ModelFamilies() {}

  public static ModelFamily of(CandidateSpec candidate) {
    if (candidate.family() == Family.LINEAR) {
      return LINEAR;
    }
    return candidate.engine() == Engine.MLLIB ? MLLIB_GBT : XGBOOST;
  }

  /** Checks every candidate of {@code spec}; errors name the candidate's key path. */
  public static void check(ModelSpec spec) {
    for (int i = 0; i < spec.candidates().size(); i++) {
      CandidateSpec candidate = spec.candidates().get(i);
      of(candidate).check("candidates[" + i + "]", candidate);
    }
  }

  /**
   * {@code pipeline} (a fitted model of any family) compiled for scoring one row at a time without
   * Spark ({@link RowScorers#compile}, with the XGBoost models' compiler). {@code inputSchema}
   * holds the feature columns as the model was trained on them.
   *
   * @throws io.nightjar.online.UnsupportedStageException naming a stage the row scorer cannot
   *     compile
   */
  public static RowScorer rowScorer(PipelineModel pipeline, Task task, StructType inputSchema) {
    return RowScorers.compile(pipeline, task, inputSchema, List.of(new XGBoostRowStages()));
  }
}
