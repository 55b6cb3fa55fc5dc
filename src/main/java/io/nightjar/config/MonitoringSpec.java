package io.nightjar.config;

/**
 * Where late labels arrive, when feature drift raises an alert ({@code drift_psi_alert}), and when
 * a metric on late labels raises one ({@code degradation_factor}: worse than the version's holdout
 * value by this factor).
 */
public record MonitoringSpec(SourceSpec labels, double driftPsiAlert, double degradationFactor) {
  public static final double DEFAULT_DEGRADATION_FACTOR = 1.25;
  public static final double DEFAULT_PSI_ALERT = 0.2;
}
