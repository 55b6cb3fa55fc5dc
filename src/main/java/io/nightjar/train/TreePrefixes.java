package io.nightjar.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.scala.Booster;
import ml.dmlc.xgboost4j.scala.spark.XGBoostModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Scores rows with the first k trees of one fitted boosted-tree model, for several k at once: how tuning evaluates
 * every {@code num_trees} value of a grid from one fit with the largest. Boosting adds one tree per round and a round
 * depends only on the rounds before it, so the first k trees of a long fit are the model a fit with k rounds makes
 * (same data, seed and other parameters).
 *
 * <p>XGBoost models are scored in one pass over the rows, predicting each batch once per k with the native booster's
 * iteration range; MLlib GBT models are cut to their first k trees and weights. The result is cached until closed.
 */
public final class TreePrefixes implements AutoCloseable {
  /** Rows per native prediction call: bounds the float buffer a task holds (64k rows x features). */
  static final int BATCH_ROWS = 65_536;

  private static final String PREFIX_PREDICTIONS = "__prefix_predictions";

  private final Map<Integer, Dataset<Row>> scored;
  private final Dataset<Row> cached;

  private TreePrefixes(Map<Integer, Dataset<Row>> scored, Dataset<Row> cached) {
    this.scored = scored;
    this.cached = cached;
  }

  /** Whether {@code model} is a fitted boosted-tree model that this class can cut. */
  public static boolean supports(Transformer model) {
    return model instanceof XGBoostModel<?> || model instanceof GBTRegressionModel
        || model instanceof GBTClassificationModel;
  }

  /**
   * Scores {@code rows} (prepared features, {@link Columns#LABEL}, optionally {@link Columns#WEIGHT}) with the first k
   * trees of {@code model} for every k in {@code treeCounts}; each result has the columns {@link Predictions#predict}
   * gives. Every k must be between 1 and the model's number of trees.
   */
  public static TreePrefixes score(Transformer model, Task task, Dataset<Row> rows, List<Integer> treeCounts) {
    if (model instanceof XGBoostModel<?> xgb) {
      return scoreXGBoost(xgb.nativeBooster(), task, rows, treeCounts);
    }
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
      throw new IllegalArgumentException("Cannot find predictions for " + trees + " trees; scored: " + scored.keySet());
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
      return copyParams(gbt, new GBTRegressionModel(gbt.uid(), Arrays.copyOf(gbt.trees(), trees),
          Arrays.copyOf(gbt.treeWeights(), trees), gbt.numFeatures()));
    }
    if (model instanceof GBTClassificationModel gbt) {
      DecisionTreeRegressionModel[] all = gbt.trees();
      check(trees, all.length);
      return copyParams(gbt, new GBTClassificationModel(gbt.uid(), Arrays.copyOf(all, trees),
          Arrays.copyOf(gbt.treeWeights(), trees), gbt.numFeatures(), gbt.numClasses()));
    }
    throw new IllegalArgumentException("Cannot cut a " + model.getClass().getSimpleName() + " into tree prefixes.");
  }

  private static void check(int trees, int available) {
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

  private static TreePrefixes scoreXGBoost(Booster booster, Task task, Dataset<Row> rows, List<Integer> treeCounts) {
    long rounds = booster.getNumBoostedRound();
    treeCounts.forEach(k -> check(k, (int) rounds));
    boolean weighted = List.of(rows.columns()).contains(Columns.WEIGHT);
    StructType schema = new StructType().add(Columns.LABEL, DataTypes.DoubleType);
    if (weighted) {
      schema = schema.add(Columns.WEIGHT, DataTypes.DoubleType);
    }
    schema = schema.add(PREFIX_PREDICTIONS, DataTypes.createArrayType(DataTypes.DoubleType, false));
    Broadcast<Booster> shared = JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext()).broadcast(booster);
    int[] ks = treeCounts.stream().mapToInt(Integer::intValue).toArray();
    Dataset<Row> input = weighted
        ? rows.select(col(Columns.FEATURES), col(Columns.LABEL).cast("double"), col(Columns.WEIGHT).cast("double"))
        : rows.select(col(Columns.FEATURES), col(Columns.LABEL).cast("double"));
    Dataset<Row> predicted =
        input.mapPartitions(
                (MapPartitionsFunction<Row, Row>) partition -> predictPrefixes(shared.value(), ks, weighted, partition),
                Encoders.row(schema))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Map<Integer, Dataset<Row>> out = new LinkedHashMap<>();
    for (int i = 0; i < ks.length; i++) {
      var value = element_at(col(PREFIX_PREDICTIONS), i + 1);
      Dataset<Row> one = task == Task.CLASSIFICATION
          // binary:logistic predicts P(label = 1); the Spark model's prediction is the likelier class (0 on a tie).
          ? predicted.withColumn(Columns.PROBABILITY, value)
              .withColumn(Columns.PREDICTION, when(value.gt(0.5), lit(1.0)).otherwise(lit(0.0)))
          : predicted.withColumn(Columns.PREDICTION, value);
      out.put(ks[i], one.drop(PREFIX_PREDICTIONS));
    }
    return new TreePrefixes(out, predicted);
  }

  /** Runs in a task: predicts each batch of rows once per prefix length with the native booster. */
  private static Iterator<Row> predictPrefixes(Booster booster, int[] ks, boolean weighted, Iterator<Row> rows)
      throws XGBoostError {
    List<Row> out = new ArrayList<>();
    List<Row> batch = new ArrayList<>(Math.min(BATCH_ROWS, 1024));
    while (rows.hasNext()) {
      batch.add(rows.next());
      if (batch.size() == BATCH_ROWS || !rows.hasNext()) {
        predictBatch(booster, ks, weighted, batch, out);
        batch.clear();
      }
    }
    return out.iterator();
  }

  private static void predictBatch(Booster booster, int[] ks, boolean weighted, List<Row> batch, List<Row> out)
      throws XGBoostError {
    int columns = ((Vector) batch.get(0).get(0)).size();
    float[] data = new float[batch.size() * columns];
    for (int r = 0; r < batch.size(); r++) {
      double[] values = ((Vector) batch.get(r).get(0)).toArray();
      for (int c = 0; c < columns; c++) {
        data[r * columns + c] = (float) values[c];
      }
    }
    double[][] predictions = new double[batch.size()][ks.length];
    for (int i = 0; i < ks.length; i++) {
      // Iteration range [0, k): the first k boosting rounds, i.e. the first k trees of a single-output model.
      float[][] p = booster.booster().inplace_predict(data, batch.size(), columns, Float.NaN, new int[] {0, ks[i]});
      for (int r = 0; r < batch.size(); r++) {
        predictions[r][i] = p[r][0];
      }
    }
    for (int r = 0; r < batch.size(); r++) {
      Row row = batch.get(r);
      out.add(weighted
          ? RowFactory.create(row.get(1), row.get(2), predictions[r])
          : RowFactory.create(row.get(1), predictions[r]));
    }
  }
}
