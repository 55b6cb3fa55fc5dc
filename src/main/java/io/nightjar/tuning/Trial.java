package io.nightjar.tuning;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import io.nightjar.registry.TrialRow;
import io.nightjar.registry.TrialStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluated configuration: a candidate, one point of its grid, the metric on each fold, their
 * mean and standard deviation, and the wall-clock seconds it took (trials evaluated together from
 * one fit, e.g. the {@code num_trees} values of one tree fit, share its seconds equally). {@code
 * status} is {@code done}, {@code pruned} or {@code failed}; failed trials carry {@code error} and
 * NaN metrics. {@code rung} is the successive-halving rung it was evaluated at (0 for grid and
 * random search). {@code resumedFrom} is the run id of an earlier, killed attempt whose evaluation
 * this trial reuses, or null when this run evaluated it.
 */
public record Trial(
    int trialId,
    int candidateIndex,
    CandidateSpec candidate,
    Map<GridKey, Double> params,
    List<Double> foldValues,
    double mean,
    double std,
    double seconds,
    TrialStatus status,
    String error,
    int rung,
    String resumedFrom) {
  public Trial {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    foldValues = List.copyOf(foldValues);
  }

  /**
   * This trial with another number and status (a done trial may become pruned; failed stays
   * failed).
   */
  Trial numbered(int id, TrialStatus newStatus) {
    return new Trial(
        id,
        candidateIndex,
        candidate,
        params,
        foldValues,
        mean,
        std,
        seconds,
        done() ? newStatus : status,
        error,
        rung,
        resumedFrom);
  }

  /** What the {@code tuning_trials} table records of this trial. */
  public TrialRow toRow() {
    Map<String, String> described = GridPoints.describe(params);
    return new TrialRow(
        trialId,
        candidate,
        described,
        KFoldSearch.Point.key(candidate.label(), described),
        mean,
        std,
        foldValues,
        seconds,
        status,
        error,
        rung,
        resumedFrom);
  }

  public boolean done() {
    return status == TrialStatus.DONE;
  }

  static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Sample standard deviation (n - 1), 0 for a single value. */
  static double std(List<Double> values) {
    if (values.size() < 2) {
      return 0.0;
    }
    double mean = mean(values);
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(squares / (values.size() - 1));
  }
}
