package io.nightjar.bench;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Issue 18's limit for the tuning benchmark: what single-node XGBoost, driven directly through its
 * Java API with the data already in memory, takes for the same grid search, cross-validation, refit
 * and holdout score as Nightjar's {@code train}. No Spark, no Delta, no registry: the time a native
 * script would spend, which {@code train} cannot beat.
 *
 * <p>Like for like with Nightjar: the same tuning rows, folds and holdout ({@code Splits}, by id
 * hash), the booster parameters Nightjar's XGBoost family passes for the grid ({@code
 * reg:squarederror}, {@code eta} 0.1, {@code tree_method} hist, {@code max_bin} 256, {@code
 * min_child_weight} 1, {@code subsample} 1, {@code lambda} 1, {@code seed} 0), the fold metric
 * averaged over folds, the lowest mean RMSE wins. Nightjar fits each fold of each {@code max_depth}
 * once with the largest {@code num_trees} and scores the smaller counts from the first trees (tree
 * prefixes), so this does the same: 2 depths x 3 folds = 6 fits of 50 trees, each scored with its
 * first 20 and all 50 trees ({@code Booster.predict} with a tree limit). The fits run one after
 * another, each with {@code nthread} = the cores local Spark uses (Nightjar runs two folds at once
 * with one thread each). No early stopping (Nightjar's may stop a fold early; on this grid it has
 * little room).
 *
 * <p>Collecting the rows to float arrays is not timed (a native user starts from arrays); selecting
 * each fold's rows, building the DMatrix, training, predicting and the RMSE are.
 */
final class NativeXGBoostLimit {
  static final int[] MAX_DEPTHS = {3, 5};
  static final int[] NUM_TREES = {20, 50};
  static final double LEARNING_RATE = 0.1;

  private NativeXGBoostLimit() {}

  /**
   * Rows in memory: row-major features, labels, and each row's fold (-1 for holdout rows), {@code
   * rows x columns}.
   */
  record Rows(float[] features, float[] labels, int[] folds, int rows, int columns) {
    /** The rows whose fold is (or, with {@code keep} false, is not) {@code fold}. */
    Rows select(int fold, boolean keep) {
      int count = 0;
      for (int f : folds) {
        if ((f == fold) == keep) {
          count++;
        }
      }
      float[] x = new float[count * columns];
      float[] y = new float[count];
      int[] z = new int[count];
      int at = 0;
      for (int r = 0; r < rows; r++) {
        if ((folds[r] == fold) == keep) {
          System.arraycopy(features, r * columns, x, at * columns, columns);
          y[at] = labels[r];
          z[at] = folds[r];
          at++;
        }
      }
      return new Rows(x, y, z, count, columns);
    }

    DMatrix matrix() throws XGBoostError {
      DMatrix matrix = new DMatrix(features, rows, columns, Float.NaN);
      matrix.setLabel(labels);
      return matrix;
    }
  }

  /**
   * What the limit took: {@code seconds} in all, of which {@code cvSeconds} for the
   * cross-validation and {@code refitSeconds} for the refit and the holdout score; the best point
   * and its mean fold RMSE, the refit's holdout RMSE, and every point's fold RMSEs ({@code
   * foldRmse[depth][trees][fold]}, indices into {@link #MAX_DEPTHS} and {@link #NUM_TREES}).
   */
  record Outcome(
      double seconds,
      double cvSeconds,
      double refitSeconds,
      int maxDepth,
      int numTrees,
      double cvRmse,
      double holdoutRmse,
      double[][][] foldRmse) {
    /** One line per grid point: its parameters and fold RMSEs. */
    String describe() {
      StringBuilder out = new StringBuilder();
      for (int d = 0; d < MAX_DEPTHS.length; d++) {
        for (int t = 0; t < NUM_TREES.length; t++) {
          out.append(
              String.format(
                  "  max_depth=%d num_trees=%d: fold rmse %s%n",
                  MAX_DEPTHS[d], NUM_TREES[t], Arrays.toString(foldRmse[d][t])));
        }
      }
      return out.toString();
    }
  }

  /**
   * Collects {@code rows} to the driver: {@code features} as floats, {@code label}, and {@code
   * foldColumn} (null for the holdout, whose folds are -1). Streams partition by partition, so the
   * driver holds arrays, not all rows at once.
   */
  static Rows collect(Dataset<Row> rows, List<String> features, String label, String foldColumn) {
    List<Column> columns = new ArrayList<>();
    for (String feature : features) {
      columns.add(col(feature).cast("float"));
    }
    columns.add(col(label).cast("float"));
    if (foldColumn != null) {
      columns.add(col(foldColumn).cast("int"));
    }
    Dataset<Row> selected = rows.select(columns.toArray(Column[]::new)).cache();
    int count = Math.toIntExact(selected.count());
    int width = features.size();
    float[] x = new float[Math.multiplyExact(count, width)];
    float[] y = new float[count];
    int[] folds = new int[count];
    int r = 0;
    for (Iterator<Row> it = selected.toLocalIterator(); it.hasNext(); r++) {
      Row row = it.next();
      for (int c = 0; c < width; c++) {
        x[r * width + c] = row.isNullAt(c) ? Float.NaN : row.getFloat(c);
      }
      y[r] = row.getFloat(width);
      folds[r] = foldColumn == null ? -1 : row.getInt(width + 1);
    }
    selected.unpersist();
    return new Rows(x, y, folds, count, width);
  }

  /**
   * Cross-validates the grid on {@code tuning}'s {@code folds} folds, refits the best point on all
   * of {@code tuning} and scores {@code holdout}, each fit with {@code nthread} threads; timed.
   */
  static Outcome run(Rows tuning, Rows holdout, int folds, int nthread) throws XGBoostError {
    long started = System.nanoTime();
    int maxTrees = NUM_TREES[NUM_TREES.length - 1];
    double[][] sums = new double[MAX_DEPTHS.length][NUM_TREES.length];
    double[][][] foldRmse = new double[MAX_DEPTHS.length][NUM_TREES.length][folds];
    for (int d = 0; d < MAX_DEPTHS.length; d++) {
      for (int fold = 0; fold < folds; fold++) {
        DMatrix train = tuning.select(fold, false).matrix();
        Rows validationRows = tuning.select(fold, true);
        DMatrix validation = validationRows.matrix();
        Booster booster =
            XGBoost.train(train, params(MAX_DEPTHS[d], nthread), maxTrees, Map.of(), null, null);
        for (int t = 0; t < NUM_TREES.length; t++) {
          foldRmse[d][t][fold] =
              rmse(booster.predict(validation, false, NUM_TREES[t]), validationRows.labels());
          sums[d][t] += foldRmse[d][t][fold];
        }
        booster.dispose();
        train.dispose();
        validation.dispose();
      }
    }
    int bestDepth = 0;
    int bestTrees = 0;
    for (int d = 0; d < MAX_DEPTHS.length; d++) {
      for (int t = 0; t < NUM_TREES.length; t++) {
        if (sums[d][t] < sums[bestDepth][bestTrees]) {
          bestDepth = d;
          bestTrees = t;
        }
      }
    }
    long searched = System.nanoTime();
    DMatrix all = tuning.matrix();
    Booster refit =
        XGBoost.train(
            all,
            params(MAX_DEPTHS[bestDepth], nthread),
            NUM_TREES[bestTrees],
            Map.of(),
            null,
            null);
    DMatrix held = holdout.matrix();
    double holdoutRmse = rmse(refit.predict(held), holdout.labels());
    refit.dispose();
    all.dispose();
    held.dispose();
    long done = System.nanoTime();
    return new Outcome(
        (done - started) / 1e9,
        (searched - started) / 1e9,
        (done - searched) / 1e9,
        MAX_DEPTHS[bestDepth],
        NUM_TREES[bestTrees],
        sums[bestDepth][bestTrees] / folds,
        holdoutRmse,
        foldRmse);
  }

  /** The booster parameters Nightjar's XGBoost family passes for squared loss (nthread aside). */
  private static Map<String, Object> params(int maxDepth, int nthread) {
    Map<String, Object> params = new HashMap<>();
    params.put("objective", "reg:squarederror");
    params.put("eta", LEARNING_RATE);
    params.put("max_depth", maxDepth);
    params.put("min_child_weight", 1.0);
    params.put("subsample", 1.0);
    params.put("lambda", 1.0);
    params.put("max_bin", 256);
    params.put("tree_method", "hist");
    params.put("seed", 0);
    params.put("nthread", nthread);
    params.put("verbosity", 0);
    return params;
  }

  private static double rmse(float[][] predicted, float[] labels) {
    double sum = 0;
    for (int r = 0; r < labels.length; r++) {
      double error = predicted[r][0] - labels[r];
      sum += error * error;
    }
    return Math.sqrt(sum / labels.length);
  }
}
