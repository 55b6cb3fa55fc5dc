package io.nightjar.monitoring;

import io.nightjar.config.TableName;
import io.nightjar.registry.TableRow;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/**
 * What {@code status} reads of a model's monitoring tables and predictions (no writes). Spark
 * answers it in io.nightjar.jobs, io.nightjar.kernel's reader answers the same from the same tables
 * without a SparkSession; both hand over the rows as they are stored, and {@code status} judges
 * them in one place. A table that no job has created yet reads as no rows.
 */
public interface MonitoringView {
  /** The columns of {@code runs} that {@link #runs} returns. */
  List<String> RUN_COLUMNS =
      List.of(
          RunLog.JOB,
          RunLog.STATUS,
          RunLog.LOGICAL_DATE,
          RunLog.STARTED_AT,
          RunLog.FINISHED_AT,
          RunLog.ERROR);

  /** The columns of {@code model_metrics} that {@link #metrics} returns. */
  List<String> METRIC_COLUMNS =
      List.of(
          ModelMetricsTable.VERSION,
          ModelMetricsTable.LOGICAL_DATE,
          ModelMetricsTable.METRIC,
          ModelMetricsTable.VALUE,
          ModelMetricsTable.ROWS,
          ModelMetricsTable.HOLDOUT_VALUE,
          ModelMetricsTable.ALERT);

  /** The columns of {@code feature_drift} that {@link #drift} returns. */
  List<String> DRIFT_COLUMNS =
      List.of(
          FeatureDriftTable.VERSION,
          FeatureDriftTable.LOGICAL_DATE,
          FeatureDriftTable.FEATURE,
          FeatureDriftTable.PSI,
          FeatureDriftTable.ALERT);

  /** The columns of {@code alerts} that {@link #alerts} returns. */
  List<String> ALERT_COLUMNS =
      List.of(AlertsTable.KIND, AlertsTable.SINCE, AlertsTable.DETAILS, AlertsTable.RESOLVED_AT);

  /** The latest {@code scored_at} and the latest {@code valid_until} of a model's predictions. */
  record LatestScores(Timestamp scoredAt, Timestamp validUntil) {}

  /**
   * The maximum {@code scored_at} and the maximum {@code valid_until} of {@code model}'s rows in
   * the prediction table {@code predictions}; empty when it has none or the table does not exist.
   */
  Optional<LatestScores> findLatestScores(TableName predictions, String model);

  /** {@code model}'s rows of {@code runs}, {@link #RUN_COLUMNS}, in no particular order. */
  List<TableRow> runs(String model);

  /**
   * {@code model}'s rows of {@code model_metrics}, {@link #METRIC_COLUMNS}, in no particular order.
   */
  List<TableRow> metrics(String model);

  /**
   * {@code model}'s rows of {@code feature_drift}, {@link #DRIFT_COLUMNS}, in no particular order.
   */
  List<TableRow> drift(String model);

  /** True once a job has created the {@code alerts} table. */
  boolean alertsExist();

  /**
   * {@code model}'s rows of {@code alerts} (open and resolved), {@link #ALERT_COLUMNS}, in no
   * particular order.
   */
  List<TableRow> alerts(String model);
}
