package io.nightjar.model;

import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Scores rows with the first k trees of one fitted boosted-tree model, for several k at once: how
 * tuning evaluates every {@code num_trees} value of a grid from one fit with the largest. Boosting
 * adds one tree per round and a round depends only on the rounds before it, so the first k trees of
 * a long fit are the model a fit with k rounds makes (same data, seed and other parameters).
 *
 * <p>MLlib GBT models are cut to their first k trees and weights here; XGBoost models are scored by
 * {@code io.nightjar.xgboost.XGBoostTreePrefixes}, which builds its result with {@link #of}. A
 * result that holds cached rows releases them when closed.
 */
public final class TreePrefixes implements AutoCloseable {
  private final Map<Integer, Dataset<Row>> scored;
  private final Dataset<Row> cached;

  private TreePrefixes(Map<Integer, Dataset<Row>> scored, Dataset<Row> cached) {
    this.scored = scored;
    this.cached = cached;
  }

  /**
   * The rows scored per number of trees; {@code cached} (or null) is unpersisted on {@link #close}.
   */
  public static TreePrefixes of(Map<Integer, Dataset<Row>> scored, Dataset<Row> cached) {
    return new TreePrefixes(scored, cached);
  }

  /**
   * Scores {@code rows} (prepared features, {@link Columns#LABEL}, optionally {@link
   * Columns#WEIGHT}) with the first k trees of {@code model}, an MLlib GBT model, for every k in
   * {@code treeCounts}; each result has the columns {@link Predictions#predict} gives. Every k must
   * be between 1 and the model's number of trees.
   */
  public static TreePrefixes score(
      Transformer model, Task task, Dataset<Row> rows, List<Integer> treeCounts) {
    Map<Integer, Dataset<Row>> out = new LinkedHashMap<>();
    for (int trees : treeCounts) {
      out.put(trees, Predictions.predict(firstTrees(model, trees), task, rows));
    }
    return new TreePrefixes(out, null);
  }

  /** The rows scored with the first {@code trees} trees. */
  public Dataset<Row> withTrees(int trees) {
    Dataset<Row> rows = scored.get(trees);
    if (rows == null) {
      throw new IllegalArgumentException(
          "Cannot find predictions for " + trees + " trees; scored: " + scored.keySet());
    }
    return rows;
  }

  @Override
  public void close() {
    if (cached != null) {
      cached.unpersist();
    }
  }

  /** An MLlib GBT model cut to its first {@code trees} trees, with the original's column params. */
  static Transformer firstTrees(Transformer model, int trees) {
    if (model instanceof GBTRegressionModel gbt) {
      check(trees, gbt.trees().length);
      return copyParams(
          gbt,
          new GBTRegressionModel(
              gbt.uid(),
              Arrays.copyOf(gbt.trees(), trees),
              Arrays.copyOf(gbt.treeWeights(), trees),
              gbt.numFeatures()));
    }
    if (model instanceof GBTClassificationModel gbt) {
      DecisionTreeRegressionModel[] all = gbt.trees();
      check(trees, all.length);
      return copyParams(
          gbt,
          new GBTClassificationModel(
              gbt.uid(),
              Arrays.copyOf(all, trees),
              Arrays.copyOf(gbt.treeWeights(), trees),
              gbt.numFeatures(),
              gbt.numClasses()));
    }
    throw new IllegalArgumentException(
        "Cannot cut a " + model.getClass().getSimpleName() + " into tree prefixes.");
  }

  /** Refuses a prefix of {@code trees} trees of a model of {@code available} trees. */
  public static void check(int trees, int available) {
    if (trees < 1 || trees > available) {
      throw new IllegalArgumentException(
          "Cannot score with the first " + trees + " trees of a model of " + available + " trees.");
    }
  }

  private static <T extends Params> T copyParams(Params from, T to) {
    for (Param<?> param : from.params()) {
      if (from.isSet(param) && to.hasParam(param.name())) {
        to.set(to.getParam(param.name()), from.getOrDefault(param));
      }
    }
    return to;
  }
}
