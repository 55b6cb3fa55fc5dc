package io.nightjar.model;

/**
 * One fold's result for a group of grid points: the tuning metric of each point (in the group's
 * order; NaN for the points above {@code trained}), the trees the fold's fit trained ({@link
 * Integer#MAX_VALUE} when it was not cut short), and, when it stopped early, the rule it stopped by
 * in words (e.g. {@code rmse not better for 20 rounds}).
 */
public record FoldScores(double[] values, int trained, String stopRule) {
  /** A fit that evaluated every point. */
  public static FoldScores complete(double[] values) {
    return new FoldScores(values, Integer.MAX_VALUE, null);
  }
}
