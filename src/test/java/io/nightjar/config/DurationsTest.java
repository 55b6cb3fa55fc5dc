package io.nightjar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesSingleAndCombinedUnits() {
    assertThat(Durations.parse("k", "45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(Durations.parse("k", "30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(Durations.parse("k", "7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("k", "1h30m")).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void formatReadsBack() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.parse("k", Durations.format(Duration.ofSeconds(93_784))))
        .isEqualTo(Duration.ofSeconds(93_784));
  }

  @Test
  void refusesWhatIsNotADuration() {
    for (String bad : new String[] {"", "7", "d7", "1.5h", "-1d", "7 days"}) {
      assertThatThrownBy(() -> Durations.parse("scoring.ttl", bad))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("'scoring.ttl'");
    }
  }
}
