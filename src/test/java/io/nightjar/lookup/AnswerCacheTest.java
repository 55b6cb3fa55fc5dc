package io.nightjar.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnswerCacheTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static Prediction answer(TestClock clock, Object id, int version, Duration ttl) {
    Instant now = clock.instant();
    return new Prediction(id, 1.5, null, version, now, now.plus(ttl));
  }

  @Test
  void anAnswerIsFoundUntilItsValidUntilAndNotAfter() {
    TestClock clock = new TestClock(START);
    AnswerCache cache = new AnswerCache(100, clock);
    AnswerCache.Key key = new AnswerCache.Key(1, 7, 42L);
    cache.put(key, answer(clock, 42L, 1, Duration.ofMinutes(10)));
    AnswerCache.Key shortKey = new AnswerCache.Key(1, 7, 43L);
    cache.put(shortKey, answer(clock, 43L, 1, Duration.ofMinutes(1)));

    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.find(key)).isPresent();
    assertThat(cache.find(shortKey)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.find(shortKey)).as("expires at its own valid_until").isEmpty();
    assertThat(cache.find(key)).isPresent();
    clock.advance(Duration.ofMinutes(9));
    assertThat(cache.find(key)).isEmpty();
    assertThat(cache.size()).isZero();
  }

  @Test
  void anotherModelVersionOrFeatureVersionFindsNothing() {
    TestClock clock = new TestClock(START);
    AnswerCache cache = new AnswerCache(100, clock);
    cache.put(new AnswerCache.Key(1, 7, "a"), answer(clock, "a", 1, Duration.ofHours(1)));

    assertThat(cache.find(new AnswerCache.Key(1, 7, "a"))).isPresent();
    assertThat(cache.find(new AnswerCache.Key(2, 7, "a"))).isEmpty();
    assertThat(cache.find(new AnswerCache.Key(1, 8, "a"))).isEmpty();
    assertThat(cache.find(new AnswerCache.Key(1, 7, "b"))).isEmpty();
  }

  @Test
  void retainOnlyDropsAnswersOfOtherVersions() {
    TestClock clock = new TestClock(START);
    AnswerCache cache = new AnswerCache(100, clock);
    cache.put(new AnswerCache.Key(1, 7, 1L), answer(clock, 1L, 1, Duration.ofHours(1)));
    cache.put(new AnswerCache.Key(2, 7, 1L), answer(clock, 1L, 2, Duration.ofHours(1)));
    cache.put(new AnswerCache.Key(2, 6, 1L), answer(clock, 1L, 2, Duration.ofHours(1)));

    cache.retainOnly(Set.of(2), 7);

    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.find(new AnswerCache.Key(2, 7, 1L))).isPresent();
  }

  @Test
  void theCacheHoldsAtMostItsEntriesAndCountsHitsAndMisses() {
    TestClock clock = new TestClock(START);
    AnswerCache cache = new AnswerCache(50, clock);
    for (long id = 0; id < 200; id++) {
      cache.put(new AnswerCache.Key(1, 1, id), answer(clock, id, 1, Duration.ofHours(1)));
    }
    assertThat(cache.size()).isLessThanOrEqualTo(50);

    cache.find(new AnswerCache.Key(1, 1, -1L));
    assertThat(cache.caffeine().stats().missCount()).isEqualTo(1);
  }

  @Test
  void aSecondLookFindsTheSameAnswersWithoutCountingAgain() {
    TestClock clock = new TestClock(START);
    AnswerCache cache = new AnswerCache(10, clock);
    AnswerCache.Key key = new AnswerCache.Key(1, 1, 1L);
    cache.put(key, answer(clock, 1L, 1, Duration.ofMinutes(1)));

    assertThat(cache.findAgain(key)).isPresent();
    assertThat(cache.findAgain(new AnswerCache.Key(1, 1, 2L))).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(cache.findAgain(key)).as("expired").isEmpty();
    assertThat(cache.caffeine().stats().hitCount()).isZero();
    assertThat(cache.caffeine().stats().missCount()).isZero();
    cache.find(key);
    assertThat(cache.caffeine().stats().missCount()).isEqualTo(1);
  }

  @Test
  void anAnswerAlreadyPastItsValidUntilIsNotKept() {
    TestClock clock = new TestClock(START);
    AnswerCache cache = new AnswerCache(10, clock);
    Prediction old = answer(clock, 1L, 1, Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(2));
    cache.put(new AnswerCache.Key(1, 1, 1L), old);
    assertThat(cache.size()).isZero();
  }
}
