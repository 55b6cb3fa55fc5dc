package io.nightjar.config;

import java.time.Duration;

/**
 * Where late labels arrive, when feature drift raises an alert ({@code drift_psi_alert}), when a
 * metric on late labels raises one ({@code degradation_factor}: worse than the version's holdout
 * value by this factor), when {@code status} calls a run slow ({@code slow_run_factor} times the
 * median of the job's earlier runs) and when labels count as missing ({@code labels_missing_after}:
 * no label for that long of evaluated dates).
 */
public record MonitoringSpec(
    SourceSpec labels,
    double driftPsiAlert,
    double degradationFactor,
    double slowRunFactor,
    Duration labelsMissingAfter) {
  public static final double DEFAULT_DEGRADATION_FACTOR = 1.25;
  public static final double DEFAULT_PSI_ALERT = 0.2;
  public static final double DEFAULT_SLOW_RUN_FACTOR = 3.0;
  public static final Duration DEFAULT_LABELS_MISSING_AFTER = Duration.ofDays(3);

  /** The settings of a spec without a {@code monitoring} section. */
  public static final MonitoringSpec DEFAULT =
      new MonitoringSpec(
          null,
          DEFAULT_PSI_ALERT,
          DEFAULT_DEGRADATION_FACTOR,
          DEFAULT_SLOW_RUN_FACTOR,
          DEFAULT_LABELS_MISSING_AFTER);
}
