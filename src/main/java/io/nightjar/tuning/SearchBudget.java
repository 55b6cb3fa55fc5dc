package io.nightjar.tuning;

import java.util.List;

/**
 * The budget of a training as its search spends it: the clock, the fit-time predictions ({@link
 * FitCost}), and the refit of the best configuration so far, whose predicted seconds the clock
 * keeps in reserve, so that {@code tuning.budget} covers the search and the refit.
 *
 * @param folds the folds of an evaluation
 * @param concurrent how many of them are fitted at once
 */
record SearchBudget(SearchClock clock, FitCost cost, int folds, int concurrent) {
  /**
   * Whether {@code group} is predicted to finish with time left for the refit. The first evaluation
   * always starts (unless the budget is already spent), since a training needs one.
   */
  boolean allows(List<KFoldSearch.Point> group, List<Trial> finished) {
    if (finished.stream().noneMatch(Trial::done)) {
      return !clock.exhausted();
    }
    return clock.allows(cost.predict(group));
  }

  /**
   * Learns from {@code group}'s evaluation on {@code share} of the rows (scaled up to all rows) and
   * keeps the refit of {@code best} (null when there is none yet) in reserve.
   */
  void measured(List<KFoldSearch.Point> group, List<Trial> results, double share, Trial best) {
    double seconds = results.stream().mapToDouble(Trial::seconds).sum();
    cost.measured(group, seconds / share);
    if (best != null) {
      KFoldSearch.Point point =
          new KFoldSearch.Point(best.candidateIndex(), best.candidate(), best.params());
      clock.reserve(cost.refit(point, folds, concurrent));
    }
  }
}
