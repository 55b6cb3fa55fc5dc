package io.nightjar.train.tuning;

import java.util.List;

/**
 * A trial row an earlier attempt of the same training recorded ({@link TrialsTable#recorded}), as a resumed search
 * reads it back: which configuration ({@link KFoldSearch.Point#key()}), at which rung, with which result.
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
    String status,
    String error) {
  public PastTrial {
    foldValues = List.copyOf(foldValues);
  }

  /** The trial this row records, for {@code point}, numbered 0 until the search numbers it. */
  Trial toTrial(KFoldSearch.Point point) {
    return new Trial(0, point.candidateIndex(), point.candidate(), point.params(), foldValues, mean, std, seconds,
        status, error, rung, runId);
  }
}
