package io.nightjar.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.config.Metric;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
  @Test
  void aGroupOfOneValueOrAMetricWithoutAnXGBoostCounterpartNeverStops() {
    assertThat(EarlyStopping.of(Metric.RMSE, new int[] {50})).isNull();
    assertThat(EarlyStopping.of(Metric.RMSE, new int[] {50, 50})).isNull();
    assertThat(EarlyStopping.of(Metric.F1, new int[] {20, 50})).isNull();
    assertThat(EarlyStopping.of(Metric.PINBALL, new int[] {20, 50})).isNull();
    assertThat(EarlyStopping.of(Metric.R2, new int[] {20, 50}).evalMetric()).isEqualTo("rmse");
    assertThat(EarlyStopping.of(Metric.ACCURACY, new int[] {20, 50}).evalMetric())
        .isEqualTo("error");
  }

  @Test
  void patienceIsATenthOfTheLargestValueAndAtLeastTen() {
    assertThat(EarlyStopping.of(Metric.RMSE, new int[] {20, 50}).patience()).isEqualTo(10);
    assertThat(EarlyStopping.of(Metric.RMSE, new int[] {100, 301}).patience()).isEqualTo(31);
  }

  @Test
  void aFitStopsAfterPatienceRoundsWithoutImprovementButNotBeforeTheSmallestValue() {
    EarlyStopping.Watch lower = EarlyStopping.of(Metric.RMSE, new int[] {15, 100}).watch();
    // Best after 2 trees, worse from then on: a stop is due at 12 but waits for the smallest value,
    // 15.
    assertThat(lower.stop(1, 2.0)).isFalse();
    assertThat(lower.stop(2, 1.0)).isFalse();
    for (int trees = 3; trees < 15; trees++) {
      assertThat(lower.stop(trees, 1.5)).as("%d trees", trees).isFalse();
    }
    assertThat(lower.stop(15, 1.5)).isTrue();

    EarlyStopping.Watch higher = EarlyStopping.of(Metric.AUC, new int[] {1, 20, 100}).watch();
    assertThat(higher.stop(1, 0.7)).isFalse();
    for (int trees = 2; trees <= 9; trees++) {
      assertThat(higher.stop(trees, 0.6 + trees * 0.01)).isFalse(); // below 0.7
    }
    assertThat(higher.stop(11, 0.71)).isFalse(); // improves: the count starts again
    for (int trees = 12; trees < 21; trees++) {
      assertThat(higher.stop(trees, 0.71)).as("%d trees", trees).isFalse(); // equal is not better
    }
    assertThat(higher.stop(21, 0.70)).isTrue();
  }

  @Test
  void aFitGoesOnToTheFirstValueAboveItsBestRound() {
    // Best after 121 trees: 200 may still beat 50, so the fit reaches 200 even though 50 rounds
    // passed at 171.
    EarlyStopping.Watch watch = EarlyStopping.of(Metric.RMSE, new int[] {500, 50, 200}).watch();
    assertThat(EarlyStopping.of(Metric.RMSE, new int[] {500, 50, 200}).patience()).isEqualTo(50);
    for (int trees = 1; trees <= 121; trees++) {
      assertThat(watch.stop(trees, 3.0 - trees / 100.0)).isFalse();
    }
    for (int trees = 122; trees < 200; trees++) {
      assertThat(watch.stop(trees, 1.9)).as("%d trees", trees).isFalse();
    }
    assertThat(watch.stop(200, 1.9)).isTrue();
  }
}
