package io.nightjar.xgboost;

import io.nightjar.config.Metric;
import io.nightjar.model.TuningOptions;
import java.io.Serializable;
import java.util.Arrays;

/**
 * When one boosted fit of a {@code num_trees} group may stop before its largest value: when the
 * tuning metric on the fold's validation rows has not improved for {@link #patience} rounds, and
 * the fit has reached the group's first value above the best round so far. The second condition
 * keeps every value that could be the best of the grid: the best round usually lies between two
 * grid values, and the one above it may beat the one below (and the group's smallest value is
 * always reached, so every group keeps a trial). The values above the stop are not evaluated on
 * that fold; the values at or below it are scored exactly, since the first k trees of a fit do not
 * depend on how many rounds follow.
 *
 * <p>The metric is watched through XGBoost's evaluation of the same name, computed incrementally by
 * the booster ({@code r2} through {@code rmse}, which orders fits on one fold the same way; {@code
 * accuracy} through {@code error}). A metric XGBoost has no counterpart for ({@code f1}, {@code
 * pinball}), or a group of one value, never stops early. The Spark setting {@value
 * TuningOptions#EARLY_STOPPING} ({@code true} by default) turns early stopping off, e.g. to have a
 * metric for every point of the grid.
 *
 * <p>Only fits in memory ({@link InMemoryFits}) stop early: XGBoost4J-Spark's own early stopping
 * has another rule (it stops after a run of rounds that each got worse) and cannot be told to reach
 * the group's smallest value first. A class, not a record, so that Kryo can serialise it ({@link
 * RowMatrix}).
 */
final class EarlyStopping implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Rounds without improvement before a fit stops: a tenth of the largest {@code num_trees}, at
   * least this.
   */
  static final int MIN_PATIENCE = 10;

  private final String evalMetric;
  private final boolean maximize;
  private final int patience;
  private final int[] values;

  private EarlyStopping(String evalMetric, boolean maximize, int patience, int[] values) {
    this.evalMetric = evalMetric;
    this.maximize = maximize;
    this.patience = patience;
    this.values = values;
  }

  /**
   * The rule for a group scored at {@code trees} with {@code metric}, or null when such fits never
   * stop early or {@code options} turn early stopping off.
   */
  static EarlyStopping of(TuningOptions options, Metric metric, int[] trees) {
    return options.earlyStopping() ? of(metric, trees) : null;
  }

  /**
   * The rule for a group scored at {@code trees} with {@code metric}, or null when such fits never
   * stop early.
   */
  static EarlyStopping of(Metric metric, int[] trees) {
    String evalMetric =
        switch (metric) {
          case RMSE, R2 -> "rmse";
          case MAE -> "mae";
          case LOGLOSS -> "logloss";
          case AUC -> "auc";
          case ACCURACY -> "error";
          case F1, PINBALL -> null;
        };
    int min = Arrays.stream(trees).min().orElse(0);
    int max = Arrays.stream(trees).max().orElse(0);
    if (evalMetric == null || min == max) {
      return null;
    }
    int patience = Math.max(MIN_PATIENCE, (int) Math.ceil(max / 10.0));
    return new EarlyStopping(
        evalMetric, evalMetric.equals("auc"), patience, Arrays.stream(trees).sorted().toArray());
  }

  /** XGBoost's name of the watched metric ({@code eval_metric}). */
  String evalMetric() {
    return evalMetric;
  }

  int patience() {
    return patience;
  }

  /** The rule in words, e.g. {@code rmse not better for 20 rounds}. */
  String describe() {
    return String.format("%s not better for %d rounds", evalMetric, patience);
  }

  /** Follows one fit, round by round. */
  Watch watch() {
    return new Watch();
  }

  /** The state of one fit: the best value so far and the round it was reached at. */
  final class Watch {
    private double best = Double.NaN;
    private int bestTrees;

    /** Records the value after {@code trees} rounds; true when the fit should stop here. */
    boolean stop(int trees, double value) {
      if (Double.isNaN(best) || (maximize ? value > best : value < best)) {
        best = value;
        bestTrees = trees;
      }
      return trees - bestTrees >= patience && trees >= valueAbove(bestTrees);
    }
  }

  /**
   * The smallest value of the group above {@code trees}, or the largest value when there is none.
   */
  private int valueAbove(int trees) {
    for (int value : values) {
      if (value > trees) {
        return value;
      }
    }
    return values[values.length - 1];
  }
}
