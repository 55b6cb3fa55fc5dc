package io.nightjar.jobs;

import io.nightjar.config.Durations;
import io.nightjar.monitoring.Run;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The deadline of a {@code train} inside {@code nightly} ({@code nightly.train_deadline}), shared
 * by the thread that trains and the thread that waits for it. The train either commits (registers
 * its version) or is stopped, never both: it asks {@link #enterCommit} before its first registry
 * write, and {@link #stop} refuses once the commit began (the waiter then waits for it to end,
 * which takes seconds). So a stopped train has written no version, no event and no alias; only
 * whole commits of its finished trials (which the next attempt reuses) and, at most, an
 * unreferenced artifact directory.
 */
final class TrainDeadline {
  /**
   * Thrown by the train's checks once it is stopped, and by {@code nightly} for the stopped train.
   */
  static final class Passed extends RuntimeException {
    Passed(String message) {
      super(message);
    }
  }

  private enum State {
    TRAINING,
    COMMITTING,
    STOPPED
  }

  private final Duration limit;
  private final String jobGroup = "nightjar-train-" + UUID.randomUUID();
  private final AtomicReference<State> state = new AtomicReference<>(State.TRAINING);
  private volatile Run run;

  TrainDeadline(Duration limit) {
    this.limit = limit;
  }

  Duration limit() {
    return limit;
  }

  /** The Spark job group the train's jobs run in, cancelled at the deadline. */
  String jobGroup() {
    return jobGroup;
  }

  /** The reason recorded for a stopped train (its {@code runs} row and {@code nightly}'s). */
  String reason() {
    return String.format(
        "train stopped at its deadline of %s (nightly.train_deadline)", Durations.format(limit));
  }

  /** The train's run, once it started; the waiter ends it when the train thread does not stop. */
  void attach(Run trainRun) {
    this.run = trainRun;
  }

  Run run() {
    return run;
  }

  /**
   * Called by the train before its first registry write: true when it may commit (the deadline can
   * no longer stop it), false when it was stopped.
   */
  boolean enterCommit() {
    return state.compareAndSet(State.TRAINING, State.COMMITTING);
  }

  /**
   * Called at the deadline: when the train has not begun to commit, marks it stopped and runs
   * {@code cancel} (cancel its Spark jobs, interrupt its thread) and returns true; returns false
   * when it is committing and must be waited for. Synchronized with {@link #awaitCancelled}.
   */
  synchronized boolean stop(Runnable cancel) {
    if (!state.compareAndSet(State.TRAINING, State.STOPPED)) {
      return false;
    }
    cancel.run();
    return true;
  }

  boolean stopped() {
    return state.get() == State.STOPPED;
  }

  /** Throws {@link Passed} once the train is stopped. */
  void check() {
    if (stopped()) {
      throw new Passed(reason());
    }
  }

  /**
   * Returns once the cancellation of {@link #stop} is complete, so that the train thread can clear
   * its interrupt and job group and then write (its finished trials) without being cancelled.
   */
  synchronized void awaitCancelled() {
    // Entering the monitor is the point: stop() holds it while it cancels.
  }
}
