package io.nightjar.training;

import io.nightjar.config.Metric;
import io.nightjar.tuning.Trial;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;

/**
 * A trained model: the winning trial, the pipeline refitted on every non-holdout row, its holdout
 * metrics, and what the training cost.
 */
public record TrainingResult(
    Trial best,
    PipelineModel model,
    List<Trial> trials,
    Map<Metric, Double> holdoutMetrics,
    long trainingRows,
    long holdoutRows,
    double tuningSeconds,
    double fitSeconds,
    double evaluateSeconds,
    boolean budgetExhausted) {
  public TrainingResult {
    trials = List.copyOf(trials);
    holdoutMetrics = Map.copyOf(holdoutMetrics);
  }
}
