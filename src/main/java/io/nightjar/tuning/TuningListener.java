package io.nightjar.tuning;

import java.time.Duration;

/**
 * Hears about tuning progress, e.g. to print "trial k of n, elapsed, ETA". Called from the tuning
 * thread.
 */
public interface TuningListener {
  TuningListener NONE = (trial, number, total, elapsed, remaining) -> {};

  /**
   * {@code trial} finished as number {@code number} of {@code total}; {@code remaining} is the
   * estimate.
   */
  void trialFinished(Trial trial, int number, int total, Duration elapsed, Duration remaining);

  /**
   * The trials heard so far are whole groups or halving rungs, a state a rerun can resume from;
   * {@code last} when the search is over. A listener that stores trials may batch them up to here.
   */
  default void checkpoint(boolean last) {}
}
