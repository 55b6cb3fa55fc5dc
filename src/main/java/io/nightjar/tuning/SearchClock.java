package io.nightjar.tuning;

import java.time.Duration;

/**
 * Wall-clock of a training against its budget, and ETA estimates. The budget covers the search and
 * the refit that follows it: the search keeps {@link #reserve} seconds for the refit, and starts an
 * evaluation only when its predicted seconds fit in what is left ({@link #allows}).
 */
final class SearchClock {
  private final Duration budget;
  private final long started = System.nanoTime();
  private double shareDone;
  private double reserve;

  SearchClock(Duration budget) {
    this.budget = budget;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** Sets the seconds kept for the refit of the best configuration so far. */
  void reserve(double seconds) {
    reserve = Math.max(0, seconds);
  }

  /** No time is left for another evaluation, even a short one. */
  boolean exhausted() {
    return !allows(0);
  }

  /** An evaluation predicted to take {@code seconds} can finish, leaving the refit its time. */
  boolean allows(double seconds) {
    if (budget == null) {
      return true;
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    return elapsed + seconds + reserve < budget.toNanos() / 1e9;
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
