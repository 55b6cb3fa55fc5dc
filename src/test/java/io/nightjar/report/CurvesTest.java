package io.nightjar.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CurvesTest {
  @Test
  void aPerfectRankingHasAreaOneAndAReversedOneAreaZero() {
    double[] labels = {0, 0, 1, 1};

    assertThat(Curves.area(Curves.roc(labels, new double[] {0.1, 0.2, 0.8, 0.9}))).isEqualTo(1.0);
    assertThat(Curves.area(Curves.roc(labels, new double[] {0.9, 0.8, 0.2, 0.1}))).isEqualTo(0.0);
  }

  @Test
  void tiedProbabilitiesMoveTogetherSoTheAreaIsAHalfForAConstantModel() {
    double[][] roc =
        Curves.roc(new double[] {1, 0, 1, 0, 0}, new double[] {0.5, 0.5, 0.5, 0.5, 0.5});

    assertThat(roc[0]).containsExactly(0.0, 1.0, 1.0);
    assertThat(Curves.area(roc)).isEqualTo(0.5);
  }

  @Test
  void theAreaMatchesTheShareOfCorrectlyOrderedPairs() {
    // Pairs (positive, negative): (0.8,0.3) (0.8,0.6) (0.4,0.3) (0.4,0.6) -> 3 of 4 ordered
    // correctly.
    double[] labels = {1, 0, 1, 0};
    double[] probabilities = {0.8, 0.3, 0.4, 0.6};

    assertThat(Curves.area(Curves.roc(labels, probabilities))).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void calibrationAveragesEachNonEmptyBin() {
    double[][] curve =
        Curves.calibration(new double[] {0, 1, 1, 1}, new double[] {0.05, 0.15, 0.95, 1.0}, 10);

    assertThat(curve[0]).containsExactly(0.05, 0.15, 0.975);
    assertThat(curve[1]).containsExactly(0.0, 1.0, 1.0);
  }
}
