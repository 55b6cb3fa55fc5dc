package io.nightjar.tuning;

import java.time.Duration;

/** Wall-clock of a search against its budget, and ETA estimates. */
final class SearchClock {
  private final Duration budget;
  private final long started = System.nanoTime();
  private double shareDone;

  SearchClock(Duration budget) {
    this.budget = budget;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  boolean exhausted() {
    return budget != null && elapsed().compareTo(budget) >= 0;
  }

  Duration remaining(int done, int total) {
    return done == 0 ? Duration.ZERO : elapsed().dividedBy(done).multipliedBy(total - (long) done);
  }

  void progress(int done, int total) {
    shareDone = total == 0 ? 1.0 : (double) done / total;
  }

  Duration remainingByShare() {
    if (shareDone <= 0) {
      return Duration.ZERO;
    }
    return Duration.ofMillis((long) (elapsed().toMillis() * (1 - shareDone) / shareDone));
  }
}
