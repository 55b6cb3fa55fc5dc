package io.nightjar.model;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import java.util.List;
import java.util.Map;

/**
 * Grid points of one candidate that are evaluated together ({@link FoldFitting#sharedKey}), trained
 * on {@code share} of each fold's training rows at halving rung {@code rung} (share 1 and rung 0
 * outside halving).
 */
public record FitGroup(
    ModelFamily family,
    CandidateSpec candidate,
    List<Map<GridKey, Double>> points,
    double share,
    int rung) {
  public FitGroup {
    points = List.copyOf(points);
  }

  /** The {@code num_trees} of point {@code i}, or {@code otherwise} when the point has none. */
  public double trees(int i, double otherwise) {
    return points.get(i).getOrDefault(GridKey.NUM_TREES, otherwise);
  }
}
