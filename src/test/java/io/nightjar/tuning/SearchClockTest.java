package io.nightjar.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SearchClockTest {
  @Test
  void anEvaluationStartsOnlyIfItCanFinishWithTheRefitsReserveLeft() {
    SearchClock clock = new SearchClock(Duration.ofSeconds(100));
    assertThat(clock.allows(90)).isTrue();
    clock.reserve(30);
    assertThat(clock.allows(60)).isTrue();
    assertThat(clock.allows(75)).isFalse();
    assertThat(clock.exhausted()).isFalse();
    clock.reserve(101);
    assertThat(clock.exhausted()).isTrue();
  }

  @Test
  void withoutABudgetEverythingStarts() {
    SearchClock clock = new SearchClock(null);
    clock.reserve(1e9);
    assertThat(clock.allows(1e9)).isTrue();
    assertThat(clock.exhausted()).isFalse();
  }
}
