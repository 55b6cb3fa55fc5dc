package io.nightjar.tuning;

import io.nightjar.config.Metric;
import io.nightjar.registry.TrainingAttempt;
import io.nightjar.registry.TrialsTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a run's trials in {@code tuning_trials} in few commits: it keeps every trial it hears of
 * and, at a search checkpoint, writes them all when {@code interval} has passed since its last
 * write, and always at the end. A kill loses at most the trials of one interval plus the group in
 * progress; a search shorter than the interval makes one commit instead of one per trial (the
 * benchmark's 4 trials: 1 or 2 commits instead of 4).
 */
public final class TrialRecorder {
  private final TrialsTable table;
  private final TrainingAttempt attempt;
  private final String runId;
  private final Metric metric;
  private final Duration interval;
  private final List<Trial> trials = new ArrayList<>();
  private long lastWrite = System.nanoTime();
  private int written;
  private int commits;

  public TrialRecorder(
      TrialsTable table, TrainingAttempt attempt, String runId, Metric metric, Duration interval) {
    this.table = table;
    this.attempt = attempt;
    this.runId = runId;
    this.metric = metric;
    this.interval = interval;
  }

  public void add(Trial trial) {
    trials.add(trial);
  }

  /**
   * At a checkpoint: writes the trials when some are unwritten and the interval has passed, or
   * {@code last}.
   */
  public void checkpoint(boolean last) {
    boolean due = System.nanoTime() - lastWrite >= interval.toNanos();
    if (trials.size() > written && (last || due)) {
      table.replace(attempt, runId, metric, trials.stream().map(Trial::toRow).toList());
      written = trials.size();
      commits++;
      lastWrite = System.nanoTime();
    }
  }

  /** How many commits it made. */
  public int commits() {
    return commits;
  }
}
