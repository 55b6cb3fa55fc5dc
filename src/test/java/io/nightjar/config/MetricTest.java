package io.nightjar.config;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The direction of each metric, which every comparison of metric values goes through. */
class MetricTest {
  private static final double EXACT = 1e-12;

  @Test
  void improvementIsPositiveWhenTheCandidateIsBetter() {
    assertThat(Metric.AUC.improvement(0.8, 0.75)).isCloseTo(0.05, within(EXACT));
    assertThat(Metric.AUC.improvement(0.7, 0.75)).isCloseTo(-0.05, within(EXACT));
    assertThat(Metric.RMSE.improvement(1.0, 1.5)).isCloseTo(0.5, within(EXACT));
    assertThat(Metric.RMSE.improvement(2.0, 1.5)).isCloseTo(-0.5, within(EXACT));
  }

  @Test
  void isBetterIsStrictAndFollowsTheDirection() {
    assertThat(Metric.R2.isBetter(0.9, 0.8)).isTrue();
    assertThat(Metric.R2.isBetter(0.8, 0.9)).isFalse();
    assertThat(Metric.MAE.isBetter(0.8, 0.9)).isTrue();
    assertThat(Metric.MAE.isBetter(0.9, 0.8)).isFalse();
    assertThat(Metric.MAE.isBetter(0.9, 0.9)).isFalse();
    assertThat(Metric.F1.isBetter(Double.NaN, 0.5)).isFalse();
  }

  @Test
  void higherIsBetterOnlyForScores() {
    for (Metric metric : Metric.values()) {
      boolean score = List.of(Metric.R2, Metric.AUC, Metric.ACCURACY, Metric.F1).contains(metric);
      assertThat(metric.isBetter(2.0, 1.0)).as("%s", metric).isEqualTo(score);
    }
  }

  @Test
  void worseByMultipliesAnErrorAndDividesAScore() {
    assertThat(Metric.RMSE.worseBy(2.0, 1.25)).isCloseTo(2.5, within(EXACT));
    assertThat(Metric.AUC.worseBy(0.8, 1.25)).isCloseTo(0.64, within(EXACT));
  }

  @Test
  void bestFirstSortsByDirection() {
    List<Double> values = List.of(0.3, 0.9, 0.1);
    assertThat(values.stream().sorted(Metric.ACCURACY.bestFirst()).toList())
        .containsExactly(0.9, 0.3, 0.1);
    assertThat(values.stream().sorted(Metric.LOGLOSS.bestFirst()).toList())
        .containsExactly(0.1, 0.3, 0.9);
  }

  @Test
  void sparkBestAndOrderFollowTheDirection() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> trials =
        spark
            .createDataset(List.of(0.3, 0.9, 0.1, 0.5), Encoders.DOUBLE())
            .toDF("mean")
            .withColumn("config", col("mean").lt(0.4));
    assertThat(trials.agg(Metric.AUC.best(col("mean"))).first().getDouble(0)).isEqualTo(0.9);
    assertThat(trials.agg(Metric.PINBALL.best(col("mean"))).first().getDouble(0)).isEqualTo(0.1);
    assertThat(
            trials
                .groupBy("config")
                .agg(Metric.MAE.best(col("mean")).as("best"))
                .orderBy(Metric.MAE.bestFirst(col("best")))
                .select("best")
                .as(Encoders.DOUBLE())
                .collectAsList())
        .containsExactly(0.1, 0.5);
    assertThat(
            trials
                .orderBy(Metric.R2.bestFirst(col("mean")))
                .select("mean")
                .as(Encoders.DOUBLE())
                .collectAsList())
        .containsExactly(0.9, 0.5, 0.3, 0.1);
  }
}
