package io.nightjar.registry;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What makes two {@code train} runs attempts at the same training: model, logical date, spec text
 * (SHA-256) and the Delta version of the training data read (null for sources that are not Delta
 * tables). A rerun after a kill is a new attempt at the same training and may reuse the trials the
 * killed one finished.
 */
public record TrainingAttempt(
    String model, LocalDate logicalDate, String specSha256, Long dataVersion) {
  public TrainingAttempt {
    Objects.requireNonNull(model, "model is null");
    Objects.requireNonNull(logicalDate, "logicalDate is null");
    Objects.requireNonNull(specSha256, "specSha256 is null");
  }
}
