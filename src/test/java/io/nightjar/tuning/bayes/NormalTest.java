package io.nightjar.tuning.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalTest {
  @Test
  void theDistributionFunctionMatchesKnownQuantiles() {
    assertThat(Normal.cdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(Normal.cdf(1.959963985)).isCloseTo(0.975, within(1e-7));
    assertThat(Normal.cdf(-1.644853627)).isCloseTo(0.05, within(1e-7));
    assertThat(Normal.cdf(-8)).isBetween(0.0, 1e-14);
    assertThat(Normal.cdf(8)).isCloseTo(1.0, within(1e-12));
  }
}
