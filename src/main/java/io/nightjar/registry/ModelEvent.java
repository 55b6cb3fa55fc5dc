package io.nightjar.registry;

import java.sql.Timestamp;
import java.util.Map;

/**
 * One append-only row of {@code model_events}; {@code previousVersion}, {@code reason} and {@code
 * runId} may be null.
 */
public record ModelEvent(
    String modelName,
    int version,
    EventKind event,
    Integer previousVersion,
    String actor,
    String reason,
    Timestamp at,
    Map<String, Double> metrics,
    String runId) {
  public ModelEvent {
    metrics = Map.copyOf(metrics);
  }
}
