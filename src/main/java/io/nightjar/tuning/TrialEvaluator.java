package io.nightjar.tuning;

import io.nightjar.config.GridKey;
import io.nightjar.config.ModelSpec;
import io.nightjar.families.ModelFamilies;
import io.nightjar.model.CrossValidation;
import io.nightjar.model.FitGroup;
import io.nightjar.model.FoldFitting;
import io.nightjar.model.FoldScores;
import io.nightjar.model.ModelFamily;
import io.nightjar.model.TuningOptions;
import io.nightjar.registry.TrialStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineStage;

/**
 * Cross-validates configurations in groups: the points of one candidate that its family's {@link
 * FoldFitting} can evaluate together (e.g. every {@code num_trees} value from one fit per fold)
 * form a group, which the family fits on every fold; this class turns the fold results into one
 * trial per point.
 */
record TrialEvaluator(ModelSpec spec, boolean weighted, CrossValidation cv) {
  /** {@code points} in groups evaluated together, as the search's tuning options allow. */
  List<List<KFoldSearch.Point>> groups(List<KFoldSearch.Point> points) {
    return groups(points, cv.options());
  }

  /**
   * {@code points} in groups evaluated together, in order of first appearance: points of one
   * candidate that differ only in the grid key its family's fold fitting shares ({@link
   * FoldFitting#sharedKey}). Other points are groups of one.
   */
  static List<List<KFoldSearch.Point>> groups(
      List<KFoldSearch.Point> points, TuningOptions options) {
    Map<String, List<KFoldSearch.Point>> groups = new LinkedHashMap<>();
    for (KFoldSearch.Point point : points) {
      GridKey shared =
          ModelFamilies.of(point.candidate()).foldFitting().sharedKey(point.candidate(), options);
      String key = point.key();
      if (shared != null && point.params().containsKey(shared)) {
        Map<GridKey, Double> others = new LinkedHashMap<>(point.params());
        others.remove(shared);
        key = point.candidateIndex() + " " + shared + " " + others;
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(point);
    }
    return List.copyOf(groups.values());
  }

  /**
   * Evaluates one group, training on {@code share} of each fold's training rows; returns one trial
   * per point (numbered 0), all failed with the error when a fit fails.
   */
  List<Trial> evaluate(List<KFoldSearch.Point> group, double share, int rung) {
    long started = System.nanoTime();
    KFoldSearch.Point longest =
        group.stream().max(Comparator.comparingDouble(TrialEvaluator::trees)).orElseThrow();
    ModelFamily family = ModelFamilies.of(longest.candidate());
    PipelineStage stage =
        family.estimator(spec.task(), longest.candidate(), longest.params(), weighted);
    Map<KFoldSearch.Point, List<Double>> values = new LinkedHashMap<>();
    group.forEach(point -> values.put(point, new ArrayList<>()));
    Map<KFoldSearch.Point, String> stopped = Map.of();
    String error = null;
    try {
      FitGroup fits =
          new FitGroup(
              family,
              longest.candidate(),
              group.stream().map(KFoldSearch.Point::params).toList(),
              share,
              rung);
      List<FoldScores> perFold = family.foldFitting().fit(fits, stage, cv);
      for (FoldScores fold : perFold) {
        // By point, so that a point listed twice gets one value per fold.
        Map<KFoldSearch.Point, Double> byPoint = new LinkedHashMap<>();
        for (int i = 0; i < group.size(); i++) {
          byPoint.put(group.get(i), fold.values()[i]);
        }
        byPoint.forEach((point, value) -> values.get(point).add(value));
      }
      stopped = earlyStops(group, perFold);
    } catch (RuntimeException e) {
      // One configuration that cannot be fitted (e.g. a solver that diverges) must not sink the
      // whole search.
      error = String.valueOf(e.getMessage());
    }
    double seconds = (System.nanoTime() - started) / 1e9 / group.size();
    List<Trial> trials = new ArrayList<>();
    for (KFoldSearch.Point point : group) {
      List<Double> folds = values.get(point);
      boolean failed = error != null;
      boolean pruned = !failed && stopped.containsKey(point);
      boolean scored = !failed && !pruned;
      trials.add(
          new Trial(
              0,
              point.candidateIndex(),
              point.candidate(),
              point.params(),
              folds,
              scored ? Trial.mean(folds) : Double.NaN,
              scored ? Trial.std(folds) : Double.NaN,
              seconds,
              failed ? TrialStatus.FAILED : pruned ? TrialStatus.PRUNED : TrialStatus.DONE,
              failed ? error : stopped.get(point),
              rung,
              null));
    }
    return trials;
  }

  /** The points no fold's fit reached, each with the reason. */
  private static Map<KFoldSearch.Point, String> earlyStops(
      List<KFoldSearch.Point> group, List<FoldScores> perFold) {
    Map<KFoldSearch.Point, String> stopped = new LinkedHashMap<>();
    FoldScores furthest =
        perFold.stream().max(Comparator.comparingInt(FoldScores::trained)).orElse(null);
    for (KFoldSearch.Point point : group) {
      if (furthest != null && trees(point) > furthest.trained()) {
        stopped.put(
            point,
            String.format(
                "early stopping: no fold's fit reached %d trees (the furthest stopped at %d: %s)",
                (int) trees(point), furthest.trained(), furthest.stopRule()));
      }
    }
    return stopped;
  }

  private static double trees(KFoldSearch.Point point) {
    return point.params().getOrDefault(GridKey.NUM_TREES, 0.0);
  }
}
