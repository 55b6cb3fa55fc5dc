package io.nightjar.online;

import io.nightjar.config.Task;
import java.util.List;
import java.util.Map;

/**
 * A fitted pipeline compiled for scoring one row at a time in the calling thread: no Spark job, no
 * table read. Its answers equal the pipeline's batch {@code transform} on the same row (the parity
 * contract of docs/losses.md). Implementations are immutable and safe to share between threads.
 */
public interface RowScorer {
  /**
   * Scores one entity from its raw feature values, keyed by the model's feature column names.
   * Missing keys and null values are missing values (imputed or refused as the pipeline would).
   *
   * @throws RowInputException when a value cannot be read as its feature's kind; the exception
   *     names the feature
   */
  RowPrediction score(Map<String, ?> features);

  /** The raw inputs the pipeline reads, in the order of the model's feature columns. */
  List<FeatureInput> inputs();

  /** Regression or classification: whether {@link RowPrediction#probability()} is set. */
  Task task();
}
