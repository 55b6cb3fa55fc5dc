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

  /**
   * Scores a batch: the answers of {@link #score} for each row, in order. A stage whose engine has
   * a fixed cost per call (XGBoost's native booster) scores the whole batch in one call, so a batch
   * costs far less than its rows one by one.
   *
   * @throws RowInputException as {@link #score} does, with {@link RowInputException#row()} the
   *     index of a refused row; then no row is answered
   */
  List<RowPrediction> scoreAll(List<? extends Map<String, ?>> rows);

  /** The raw inputs the pipeline reads, in the order of the model's feature columns. */
  List<FeatureInput> inputs();

  /** Regression or classification: whether {@link RowPrediction#probability()} is set. */
  Task task();
}
