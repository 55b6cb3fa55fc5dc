package io.nightjar.tuning;

import io.nightjar.registry.PastTrial;
import io.nightjar.registry.TrialStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The trials an earlier, killed attempt at the same training recorded, looked up by configuration
 * and rung, so that a rerun reuses them instead of evaluating again. Evaluations are deterministic
 * (fixed folds, seeds and samples), so a reused trial is the trial the rerun would have computed.
 */
final class ResumedTrials {
  static final ResumedTrials NONE = new ResumedTrials(List.of());

  private final Map<String, PastTrial> byConfigAndRung = new HashMap<>();

  ResumedTrials(List<PastTrial> past) {
    past.stream()
        .sorted(Comparator.comparingInt(PastTrial::trialId))
        .forEach(
            trial -> byConfigAndRung.putIfAbsent(trial.configKey() + "@" + trial.rung(), trial));
  }

  boolean isEmpty() {
    return byConfigAndRung.isEmpty();
  }

  /** The done trial the earlier attempt recorded for {@code point} at {@code rung}, or null. */
  Trial done(KFoldSearch.Point point, int rung) {
    PastTrial past = byConfigAndRung.get(point.key() + "@" + rung);
    return past != null && past.status() == TrialStatus.DONE ? trial(past, point) : null;
  }

  /**
   * The trials of {@code alive} that the earlier attempt eliminated at halving rung {@code rung}
   * (pruned, or failed), in its order. Halving records a rung's eliminated trials in one commit, so
   * any of them means the rung finished.
   */
  List<Trial> eliminatedAt(int rung, List<KFoldSearch.Point> alive) {
    List<PastTrial> eliminated = new ArrayList<>();
    Map<String, KFoldSearch.Point> byKey =
        alive.stream().collect(Collectors.toMap(KFoldSearch.Point::key, p -> p));
    Set<TrialStatus> statuses = Set.of(TrialStatus.PRUNED, TrialStatus.FAILED);
    for (KFoldSearch.Point point : alive) {
      PastTrial past = byConfigAndRung.get(point.key() + "@" + rung);
      if (past != null && statuses.contains(past.status())) {
        eliminated.add(past);
      }
    }
    eliminated.sort(Comparator.comparingInt(PastTrial::trialId));
    return eliminated.stream().map(past -> trial(past, byKey.get(past.configKey()))).toList();
  }

  /** The trial {@code past} records, for {@code point}, numbered 0 until the search numbers it. */
  private static Trial trial(PastTrial past, KFoldSearch.Point point) {
    return new Trial(
        0,
        point.candidateIndex(),
        point.candidate(),
        point.params(),
        past.foldValues(),
        past.mean(),
        past.std(),
        past.seconds(),
        past.status(),
        past.error(),
        past.rung(),
        past.runId());
  }
}
