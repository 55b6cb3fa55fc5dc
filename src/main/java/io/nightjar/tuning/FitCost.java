package io.nightjar.tuning;

import io.nightjar.config.GridKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Predicts how long evaluating a configuration takes, so that a search under a budget does not
 * start what cannot finish. A fit's work grows with its trees times their depth (a linear model
 * counts as one unit), so the prediction is seconds per unit, the median over the evaluations
 * measured: this run's as soon as there are any (same rows, same machine), else the model's past
 * trials (whose nights had their own row counts: a first guess only). With neither, the prediction
 * is 0 and the search starts the evaluation.
 */
final class FitCost {
  private final List<Double> pastPerUnit = new ArrayList<>();
  private final List<Double> todayPerUnit = new ArrayList<>();

  /** The work units of a configuration: trees times depth (each 1 when the key is absent). */
  static double units(Map<GridKey, Double> params) {
    return params.getOrDefault(GridKey.NUM_TREES, 1.0)
        * params.getOrDefault(GridKey.MAX_DEPTH, 1.0);
  }

  /** A past trial of {@code units} that took {@code seconds}. */
  void past(double units, double seconds) {
    if (units > 0 && seconds > 0) {
      pastPerUnit.add(seconds / units);
    }
  }

  /** This run evaluated {@code group} (one fit of its longest point) in {@code seconds}. */
  void measured(List<KFoldSearch.Point> group, double seconds) {
    double units = groupUnits(group);
    if (units > 0 && seconds > 0) {
      todayPerUnit.add(seconds / units);
    }
  }

  /** The predicted seconds of evaluating {@code group} on every fold. */
  double predict(List<KFoldSearch.Point> group) {
    return perUnit() * groupUnits(group);
  }

  /**
   * The predicted seconds of refitting {@code point} on all tuning rows: an evaluation fits {@code
   * folds} models on {@code (folds - 1) / folds} of the rows each, {@code concurrent} at a time, so
   * one fit on all rows takes about {@code concurrent / (folds - 1)} of an evaluation.
   */
  double refit(KFoldSearch.Point point, int folds, int concurrent) {
    return predict(List.of(point)) * Math.max(1, concurrent) / Math.max(1, folds - 1);
  }

  private double perUnit() {
    List<Double> basis = todayPerUnit.isEmpty() ? pastPerUnit : todayPerUnit;
    if (basis.isEmpty()) {
      return 0.0;
    }
    double[] sorted = basis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static double groupUnits(List<KFoldSearch.Point> group) {
    return group.stream().mapToDouble(point -> units(point.params())).max().orElse(0.0);
  }
}
