package io.nightjar.lookup;

import java.time.Instant;

/**
 * One entity's latest prediction as the lookup cache holds it (a row of the {@code _current} view
 * without {@code is_fresh}, which depends on the time of the request: see {@link #freshAt}).
 *
 * @param id the entity id: a {@link Long} or a {@link String}
 * @param probability P(label = 1) for classification, null for regression
 */
public record Prediction(
    Object id,
    double prediction,
    Double probability,
    int modelVersion,
    Instant scoredAt,
    Instant validUntil) {
  /** The view's {@code is_fresh}: {@code now < valid_until}. */
  public boolean freshAt(Instant now) {
    return now.isBefore(validUntil);
  }
}
