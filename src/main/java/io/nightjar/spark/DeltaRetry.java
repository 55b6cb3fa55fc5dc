package io.nightjar.spark;

import io.delta.exceptions.DeltaConcurrentModificationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs a Delta write again when a concurrent writer won the race. Delta's optimistic concurrency
 * rejects the later of two conflicting commits with a {@link DeltaConcurrentModificationException};
 * the action must be safe to run again (it re-reads what it depends on).
 */
public final class DeltaRetry {
  public static final int ATTEMPTS = 8;

  private DeltaRetry() {}

  public static <T> T run(String what, Supplier<T> action) {
    DeltaConcurrentModificationException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return action.get();
      } catch (DeltaConcurrentModificationException e) {
        last = e;
        sleep(attempt);
      }
    }
    throw new IllegalStateException(
        String.format("Cannot %s: %d concurrent writers won in a row; try again.", what, ATTEMPTS),
        last);
  }

  public static void run(String what, Runnable action) {
    run(
        what,
        () -> {
          action.run();
          return null;
        });
  }

  private static void sleep(int attempt) {
    long millis = (long) (50 * Math.pow(2, attempt)) + ThreadLocalRandom.current().nextLong(50);
    try {
      Thread.sleep(Math.min(millis, 5_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry a Delta commit", e);
    }
  }
}
