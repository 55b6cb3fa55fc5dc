package io.nightjar.lookup;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * On-demand answers of one model kept for {@code serving.cache_ttl}: bounded by {@code
 * serve.cache_entries} (least recently and frequently used go first), each entry expiring at its
 * own {@code valid_until}. The key holds the model version and the features' version, so an answer
 * is never found once production moved or the features were reloaded; {@link #retainOnly} frees
 * those entries at once. Thread-safe; reads are memory only.
 */
public final class AnswerCache {
  /**
   * What an answer depends on: the model version that scored it, the version of the features it was
   * scored from ({@link FeatureSnapshot#sourceVersion()}) and the entity.
   */
  public record Key(int modelVersion, long featureVersion, Object id) {
    public Key {
      requireNonNull(id, "id is null");
    }
  }

  private final Clock clock;
  private final Cache<Key, Prediction> cache;

  /** An answer cache on the system clock. */
  public AnswerCache(long maxEntries) {
    this(maxEntries, Clock.systemUTC());
  }

  /** An answer cache whose expiry and {@code scored_at} follow {@code clock} (tests move it). */
  public AnswerCache(long maxEntries, Clock clock) {
    this.clock = clock;
    Ticker ticker = () -> clock.millis() * 1_000_000L;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfter(new UntilValid(clock))
            .ticker(ticker)
            // Maintenance in the calling thread: no pool thread, and tests see evictions at once.
            .executor(Runnable::run)
            .recordStats()
            .build();
  }

  /**
   * The cache's hits, misses, evictions and size for {@code /metrics} ({@code cache_gets_total} and
   * the rest of Micrometer's cache meters, tagged {@code cache="answers"} and {@code model}).
   */
  public MeterBinder metrics(String model) {
    return new CaffeineCacheMetrics<>(cache, "answers", Tags.of("model", model));
  }

  /** The clock that answers are stamped with. */
  public Clock clock() {
    return clock;
  }

  /** The cached answer for {@code key} while it is valid; counted as a hit or a miss. */
  public Optional<Prediction> find(Key key) {
    return fresh(cache.getIfPresent(key));
  }

  /**
   * {@link #find} without counting a hit or a miss (Caffeine's map view records no statistics): the
   * second look of a request that already missed once, so that {@code /metrics} counts one look per
   * request.
   */
  public Optional<Prediction> findAgain(Key key) {
    return fresh(cache.asMap().get(key));
  }

  private Optional<Prediction> fresh(Prediction answer) {
    return answer != null && answer.freshAt(clock.instant())
        ? Optional.of(answer)
        : Optional.empty();
  }

  /** Keeps {@code answer} until its {@code valid_until}, or until evicted. */
  public void put(Key key, Prediction answer) {
    if (answer.freshAt(clock.instant())) {
      cache.put(key, answer);
    }
  }

  /**
   * Drops every entry whose key is not of {@code modelVersions} and {@code featureVersion}: after a
   * promote, rollback or reload they can never be found again.
   */
  public void retainOnly(Set<Integer> modelVersions, long featureVersion) {
    cache
        .asMap()
        .keySet()
        .removeIf(
            k -> !modelVersions.contains(k.modelVersion()) || k.featureVersion() != featureVersion);
  }

  /** Entries now (after pending expiries). */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** The Caffeine cache, for binding its statistics to metrics ({@code stats()} is recorded). */
  public Cache<Key, Prediction> caffeine() {
    return cache;
  }

  /** Each entry lives until its answer's {@code valid_until}. */
  private record UntilValid(Clock clock) implements Expiry<Key, Prediction> {
    @Override
    public long expireAfterCreate(Key key, Prediction answer, long currentTime) {
      return remaining(answer);
    }

    @Override
    public long expireAfterUpdate(
        Key key, Prediction answer, long currentTime, long currentDuration) {
      return remaining(answer);
    }

    @Override
    public long expireAfterRead(
        Key key, Prediction answer, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private long remaining(Prediction answer) {
      Duration left = Duration.between(clock.instant(), answer.validUntil());
      return left.isNegative() ? 0 : saturatedNanos(left);
    }

    private static long saturatedNanos(Duration duration) {
      try {
        return duration.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
  }
}
