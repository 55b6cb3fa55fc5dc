package io.nightjar.registry;

import java.util.List;

/**
 * A trial row an earlier attempt of the same training recorded ({@link TrialsTable#recorded}), as a
 * resumed search reads it back: which configuration ({@code config_key}), at which rung, with which
 * result.
 */
public record PastTrial(
    String runId,
    int trialId,
    String configKey,
    int rung,
    List<Double> foldValues,
    double mean,
    double std,
    double seconds,
    TrialStatus status,
    String error) {
  public PastTrial {
    foldValues = List.copyOf(foldValues);
  }
}
