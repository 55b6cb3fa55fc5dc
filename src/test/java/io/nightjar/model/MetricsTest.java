package io.nightjar.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestSpark;
import io.nightjar.config.Metric;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.DoubleStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Metrics against values worked out by hand on tiny frames. */
class MetricsTest {
  /** A frame of {@code schema}'s double columns, a row per array. */
  private static Dataset<Row> frame(StructType schema, double[][] rows) {
    return TestSpark.session()
        .createDataFrame(
            Arrays.stream(rows)
                .map(row -> RowFactory.create(DoubleStream.of(row).boxed().toArray()))
                .toList(),
            schema);
  }

  private static final StructType REGRESSION =
      new StructType()
          .add(Columns.LABEL, DataTypes.DoubleType)
          .add(Columns.PREDICTION, DataTypes.DoubleType)
          .add(Columns.WEIGHT, DataTypes.DoubleType);

  @Test
  void regressionMetricsMatchHandComputedValues() {
    // residuals y - p: 1, -2, 0, 1 ; y = 3, 1, 2, 6 (mean 3)
    Dataset<Row> scored =
        frame(REGRESSION, new double[][] {{3, 2, 1}, {1, 3, 1}, {2, 2, 1}, {6, 5, 1}});
    Map<Metric, Double> m =
        Metrics.compute(
            scored, List.of(Metric.RMSE, Metric.MAE, Metric.R2, Metric.PINBALL), false, 0.9);
    assertThat(m.get(Metric.RMSE)).isCloseTo(Math.sqrt(6.0 / 4), within(1e-12));
    assertThat(m.get(Metric.MAE)).isCloseTo(1.0, within(1e-12));
    assertThat(m.get(Metric.R2)).isCloseTo(1 - 6.0 / 14.0, within(1e-12));
    // pinball at 0.9: 0.9*1 + 0.1*2 + 0 + 0.9*1 = 2.0, mean 0.5
    assertThat(m.get(Metric.PINBALL)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void weightsActLikeRepeatedRows() {
    Dataset<Row> weighted = frame(REGRESSION, new double[][] {{3, 2, 3}, {1, 3, 1}});
    Dataset<Row> repeated =
        frame(REGRESSION, new double[][] {{3, 2, 1}, {3, 2, 1}, {3, 2, 1}, {1, 3, 1}});
    assertThat(Metrics.compute(weighted, Metric.RMSE, true, null))
        .isCloseTo(Metrics.compute(repeated, Metric.RMSE, false, null), within(1e-12));
  }

  @Test
  void classificationMetricsMatchHandComputedValues() {
    StructType schema =
        new StructType()
            .add(Columns.LABEL, DataTypes.DoubleType)
            .add(Columns.PREDICTION, DataTypes.DoubleType)
            .add(Columns.PROBABILITY, DataTypes.DoubleType);
    Dataset<Row> scored =
        frame(schema, new double[][] {{1, 1, 0.9}, {0, 1, 0.6}, {1, 0, 0.4}, {0, 0, 0.2}});
    Map<Metric, Double> m =
        Metrics.compute(scored, Metrics.standard(Task.CLASSIFICATION, null), false, null);
    double logloss = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8)) / 4;
    assertThat(m.get(Metric.LOGLOSS)).isCloseTo(logloss, within(1e-12));
    assertThat(m.get(Metric.ACCURACY)).isCloseTo(0.5, within(1e-12));
    assertThat(m.get(Metric.F1)).isCloseTo(0.5, within(1e-12)); // tp 1, fp 1, fn 1
    assertThat(m.get(Metric.AUC))
        .isCloseTo(0.75, within(1e-12)); // 3 of 4 positive/negative pairs ordered
  }

  @Test
  void arraysGiveTheMetricsOfTheSameRowsInAFrame() {
    Random random = new Random(4);
    int n = 400;
    double[] value = new double[n];
    double[] prediction = new double[n];
    double[] label = new double[n];
    double[] probability = new double[n];
    double[] klass = new double[n];
    double[] weight = new double[n];
    double[][] regressionRows = new double[n][];
    double[][] classificationRows = new double[n][];
    for (int i = 0; i < n; i++) {
      value[i] = 10 * random.nextGaussian();
      prediction[i] = value[i] + random.nextGaussian();
      label[i] = random.nextDouble() < 0.4 ? 1.0 : 0.0;
      // Scores rounded to 0.05 so that ties occur; the class agrees with the score.
      probability[i] = Math.round((0.3 * label[i] + 0.7 * random.nextDouble()) * 20) / 20.0;
      klass[i] = probability[i] > 0.5 ? 1.0 : 0.0;
      weight[i] = 0.5 + random.nextInt(3);
      regressionRows[i] = new double[] {value[i], prediction[i], weight[i]};
      classificationRows[i] = new double[] {label[i], klass[i], weight[i], probability[i]};
    }
    Dataset<Row> regression = frame(REGRESSION, regressionRows);
    Dataset<Row> classification =
        frame(REGRESSION.add(Columns.PROBABILITY, DataTypes.DoubleType), classificationRows);
    for (boolean weighted : new boolean[] {false, true}) {
      double[] w = weighted ? weight : null;
      for (Metric metric : List.of(Metric.RMSE, Metric.MAE, Metric.R2, Metric.PINBALL)) {
        assertThat(Metrics.compute(metric, value, prediction, null, w, 0.8))
            .as("%s weighted %s", metric, weighted)
            .isCloseTo(Metrics.compute(regression, metric, weighted, 0.8), within(1e-9));
      }
      for (Metric metric : List.of(Metric.LOGLOSS, Metric.AUC, Metric.ACCURACY, Metric.F1)) {
        assertThat(Metrics.compute(metric, label, klass, probability, w, null))
            .as("%s weighted %s", metric, weighted)
            .isCloseTo(Metrics.compute(classification, metric, weighted, null), within(1e-9));
      }
    }
  }

  @Test
  void exactAucCountsOrderedPairsWithTiesAsHalves() {
    // Positives score 0.8, 0.5; negatives 0.5, 0.1: pairs (0.8>0.5), (0.8>0.1), (0.5=0.5 half),
    // (0.5>0.1) = 3.5 / 4.
    double[] label = {1, 1, 0, 0};
    double[] score = {0.8, 0.5, 0.5, 0.1};
    assertThat(Metrics.auc(label, score, null)).isCloseTo(0.875, within(1e-12));
    // Weight 3 on the tied negative: pairs weigh 1·3 + 1·1 + 1·3 half + 1·1 = 3 + 1 + 1.5 + 1 = 6.5
    // of 8.
    assertThat(Metrics.auc(label, score, new double[] {1, 1, 3, 1}))
        .isCloseTo(6.5 / 8, within(1e-12));
    assertThat(Metrics.auc(new double[] {1, 1}, new double[] {0.2, 0.3}, null)).isNaN();
  }
}
