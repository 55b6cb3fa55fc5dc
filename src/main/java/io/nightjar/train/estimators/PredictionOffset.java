package io.nightjar.train.estimators;

import io.nightjar.model.estimators.MovedStageReader;
import org.apache.spark.ml.util.MLReader;

/**
 * The name {@link io.nightjar.model.estimators.PredictionOffset} had until the training packages
 * were re-cut, kept so that model artifacts saved under it still load ({@link MovedStageReader}).
 * Not a stage: pipelines saved now record the new name.
 */
public final class PredictionOffset {
  private PredictionOffset() {}

  /** Spark ML's loader for saved pipelines finds this by reflection. */
  public static MLReader<io.nightjar.model.estimators.PredictionOffset> read() {
    return new MovedStageReader<>(io.nightjar.model.estimators.PredictionOffset::new);
  }
}
