package io.nightjar.xgboost;

import io.nightjar.config.Metric;
import io.nightjar.model.Metrics;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One XGBoost fit of one fold, run by the native library inside one Spark task on the fold's rows
 * in memory, and the tuning metric of the first k trees on the fold's validation rows for each k in
 * {@code trees}. {@code params} are the booster parameters the XGBoost4J-Spark estimator of the
 * same configuration would pass; {@code rounds} the boosting rounds (the largest k); {@code
 * medianStart} whether boosting starts from the median of the training labels ({@link
 * MedianStartRegressor}); {@code share} the share of the fold's training rows to train on
 * (halving), sampled with {@code seed}; {@code stopping} when the fit may stop early ({@link
 * EarlyStopping}), else null.
 *
 * <p>A class, not a record, so that Kryo can serialise it too ({@link RowMatrix}).
 */
final class NativeFoldFit implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int fold;
  private final HashMap<String, Object> params;
  private final int rounds;
  private final boolean medianStart;
  private final int[] trees;
  private final boolean classification;
  private final Metric metric;
  private final Double quantile;
  private final double share;
  private final long seed;
  private final EarlyStopping stopping;

  NativeFoldFit(
      int fold,
      HashMap<String, Object> params,
      int rounds,
      boolean medianStart,
      int[] trees,
      boolean classification,
      Metric metric,
      Double quantile,
      double share,
      long seed,
      EarlyStopping stopping) {
    this.fold = fold;
    this.params = params;
    this.rounds = rounds;
    this.medianStart = medianStart;
    this.trees = trees;
    this.classification = classification;
    this.metric = metric;
    this.quantile = quantile;
    this.share = share;
    this.seed = seed;
    this.stopping = stopping;
  }

  /** The same fit with {@code newRounds} rounds and no early stopping. */
  NativeFoldFit withRounds(int newRounds) {
    return new NativeFoldFit(
        fold,
        params,
        newRounds,
        medianStart,
        trees,
        classification,
        metric,
        quantile,
        share,
        seed,
        null);
  }

  /**
   * What a fold fit gives back: the metric per entry of {@code trees} (NaN for the entries above
   * {@code trained}) and the number of trees it trained. A class, not a record, for Kryo.
   */
  static final class Scores implements Serializable {
    private static final long serialVersionUID = 1L;

    final double[] values;
    final int trained;

    Scores(double[] values, int trained) {
      this.values = values;
      this.trained = trained;
    }
  }

  /** Fits on {@code data}'s fold and returns the metric per entry of {@code trees}. */
  Scores run(FoldMatrices data) throws XGBoostError {
    RowMatrix train = data.train().get(fold).sample(share, seed);
    RowMatrix validation = data.validation().get(fold);
    DMatrix matrix = matrix(train);
    DMatrix watched = stopping == null ? null : matrix(validation);
    try {
      Map<String, Object> fitParams = new HashMap<>(params);
      if (medianStart) {
        fitParams.put("base_score", MedianStartRegressor.median(train.labels()));
      }
      if (stopping != null) {
        fitParams.put("eval_metric", stopping.evalMetric());
      }
      // Zero rounds: a booster that caches predictions for both matrices, so that each round's
      // evaluation adds one tree's contribution instead of predicting from scratch.
      Booster booster =
          XGBoost.train(
              matrix,
              fitParams,
              0,
              watched == null ? Map.of() : Map.of("validation", watched),
              null,
              null);
      try {
        int trained = boost(booster, matrix, watched);
        double[] out = new double[trees.length];
        for (int i = 0; i < trees.length; i++) {
          if (trees[i] > trained) {
            out[i] = Double.NaN;
            continue;
          }
          // Iteration range [0, k): the first k rounds, i.e. the first k trees of a single-output
          // model.
          float[][] predicted =
              booster.inplace_predict(
                  validation.features(),
                  validation.rows(),
                  validation.columns(),
                  Float.NaN,
                  new int[] {0, trees[i]});
          out[i] = score(predicted, validation);
        }
        return new Scores(out, trained);
      } finally {
        booster.dispose();
      }
    } finally {
      matrix.dispose();
      if (watched != null) {
        watched.dispose();
      }
    }
  }

  /**
   * Boosts up to {@code rounds} rounds, fewer when early stopping says so; returns the rounds
   * trained.
   */
  private int boost(Booster booster, DMatrix matrix, DMatrix watched) throws XGBoostError {
    EarlyStopping.Watch watch = stopping == null ? null : stopping.watch();
    DMatrix[] evaluated = {watched};
    String[] names = {"validation"};
    float[] value = new float[1];
    for (int round = 0; round < rounds; round++) {
      booster.update(matrix, round);
      if (watch != null) {
        booster.evalSet(evaluated, names, round, value);
        if (watch.stop(round + 1, value[0])) {
          return round + 1;
        }
      }
    }
    return rounds;
  }

  private static DMatrix matrix(RowMatrix rows) throws XGBoostError {
    DMatrix matrix = new DMatrix(rows.features(), rows.rows(), rows.columns(), Float.NaN);
    matrix.setLabel(RowMatrix.floats(rows.labels()));
    if (rows.weights() != null) {
      matrix.setWeight(RowMatrix.floats(rows.weights()));
    }
    return matrix;
  }

  private double score(float[][] predicted, RowMatrix validation) {
    double[] values = new double[predicted.length];
    for (int r = 0; r < values.length; r++) {
      values[r] = predicted[r][0];
    }
    if (!classification) {
      return Metrics.compute(
          metric, validation.labels(), values, null, validation.weights(), quantile);
    }
    // binary:logistic predicts P(label = 1); the Spark model's prediction is the likelier class (0
    // on a tie).
    double[] classes = new double[values.length];
    for (int r = 0; r < values.length; r++) {
      classes[r] = values[r] > 0.5 ? 1.0 : 0.0;
    }
    return Metrics.compute(
        metric, validation.labels(), classes, values, validation.weights(), quantile);
  }
}
