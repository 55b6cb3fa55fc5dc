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
    String event,
    Integer previousVersion,
    String actor,
    String reason,
    Timestamp at,
    Map<String, Double> metrics,
    String runId) {
  public static final String REGISTERED = "registered";
  public static final String PROMOTED = "promoted";
  public static final String REJECTED = "rejected";
  public static final String ROLLED_BACK = "rolled_back";

  public ModelEvent {
    metrics = Map.copyOf(metrics);
  }
}
