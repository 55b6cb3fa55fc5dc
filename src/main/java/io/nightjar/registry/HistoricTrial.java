package io.nightjar.registry;

import java.time.LocalDate;
import java.util.Map;

/**
 * A finished ({@code done}) trial of an earlier training of a model ({@link TrialsTable#history}),
 * as a model-based search learns from it: which configuration ({@code configKey}, and its {@code
 * params} as recorded), on which night, with which mean metric and how long it took.
 */
public record HistoricTrial(
    LocalDate logicalDate,
    String configKey,
    Map<String, String> params,
    double mean,
    double seconds) {
  public HistoricTrial {
    params = Map.copyOf(params);
  }
}
