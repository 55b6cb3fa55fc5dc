package io.nightjar.xgboost;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.model.TreePrefixes;
import java.util.ArrayList;
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
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@link TreePrefixes} of a fitted XGBoost model: the rows are scored in one pass, predicting each
 * batch once per k with the native booster's iteration range. The result holds the scored rows
 * cached until closed.
 */
public final class XGBoostTreePrefixes {
  /**
   * Rows per native prediction call: bounds the float buffer a task holds (64k rows x features).
   */
  static final int BATCH_ROWS = 65_536;

  private static final String PREFIX_PREDICTIONS = "__prefix_predictions";

  private XGBoostTreePrefixes() {}

  /**
   * Scores {@code rows} (prepared features, {@link Columns#LABEL}, optionally {@link
   * Columns#WEIGHT}) with the first k trees of {@code model} for every k in {@code treeCounts}, as
   * {@link TreePrefixes#score} does for MLlib models.
   */
  public static TreePrefixes score(
      XGBoostModel<?> model, Task task, Dataset<Row> rows, List<Integer> treeCounts) {
    return scoreXGBoost(model.nativeBooster(), task, rows, treeCounts);
  }

  private static TreePrefixes scoreXGBoost(
      Booster booster, Task task, Dataset<Row> rows, List<Integer> treeCounts) {
    long rounds = booster.getNumBoostedRound();
    treeCounts.forEach(k -> TreePrefixes.check(k, (int) rounds));
    boolean weighted = List.of(rows.columns()).contains(Columns.WEIGHT);
    StructType schema = new StructType().add(Columns.LABEL, DataTypes.DoubleType);
    if (weighted) {
      schema = schema.add(Columns.WEIGHT, DataTypes.DoubleType);
    }
    schema = schema.add(PREFIX_PREDICTIONS, DataTypes.createArrayType(DataTypes.DoubleType, false));
    Broadcast<Booster> shared =
        JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext()).broadcast(booster);
    int[] ks = treeCounts.stream().mapToInt(Integer::intValue).toArray();
    Dataset<Row> input =
        weighted
            ? rows.select(
                col(Columns.FEATURES),
                col(Columns.LABEL).cast("double"),
                col(Columns.WEIGHT).cast("double"))
            : rows.select(col(Columns.FEATURES), col(Columns.LABEL).cast("double"));
    Dataset<Row> predicted =
        input
            .mapPartitions(
                (MapPartitionsFunction<Row, Row>)
                    partition -> predictPrefixes(shared.value(), ks, weighted, partition),
                Encoders.row(schema))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Map<Integer, Dataset<Row>> out = new LinkedHashMap<>();
    for (int i = 0; i < ks.length; i++) {
      var value = element_at(col(PREFIX_PREDICTIONS), i + 1);
      Dataset<Row> one =
          task == Task.CLASSIFICATION
              // binary:logistic predicts P(label = 1); the Spark model's prediction is the likelier
              // class (0 on a tie).
              ? predicted
                  .withColumn(Columns.PROBABILITY, value)
                  .withColumn(Columns.PREDICTION, when(value.gt(0.5), lit(1.0)).otherwise(lit(0.0)))
              : predicted.withColumn(Columns.PREDICTION, value);
      out.put(ks[i], one.drop(PREFIX_PREDICTIONS));
    }
    return TreePrefixes.of(out, predicted);
  }

  /** Runs in a task: predicts each batch of rows once per prefix length with the native booster. */
  private static Iterator<Row> predictPrefixes(
      Booster booster, int[] ks, boolean weighted, Iterator<Row> rows) throws XGBoostError {
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

  private static void predictBatch(
      Booster booster, int[] ks, boolean weighted, List<Row> batch, List<Row> out)
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
      // Iteration range [0, k): the first k boosting rounds, i.e. the first k trees of a
      // single-output model.
      float[][] p =
          booster
              .booster()
              .inplace_predict(data, batch.size(), columns, Float.NaN, new int[] {0, ks[i]});
      for (int r = 0; r < batch.size(); r++) {
        predictions[r][i] = p[r][0];
      }
    }
    for (int r = 0; r < batch.size(); r++) {
      Row row = batch.get(r);
      out.add(
          weighted
              ? RowFactory.create(row.get(1), row.get(2), predictions[r])
              : RowFactory.create(row.get(1), predictions[r]));
    }
  }
}
