package io.nightjar.jobs;

import io.nightjar.config.ModelSpec;
import io.nightjar.config.MonitoringSpec;
import io.nightjar.monitoring.Alert;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.MonitoringView;
import io.nightjar.monitoring.RunLog;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.TableRow;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What {@code status} tells from what {@code evaluate} wrote for a model: labels that stopped
 * arriving, and the drift and degradation alerts of the latest evaluated date. Works on the rows as
 * any {@link MonitoringView} reads them, so Spark and Delta Kernel reads are judged alike.
 */
final class EvaluationHealth {
  private final ModelSpec spec;
  private final MonitoringView tables;

  EvaluationHealth(ModelSpec spec, MonitoringView tables) {
    this.spec = spec;
    this.tables = tables;
  }

  /** The alerts of {@code evaluate}'s outputs: labels missing, degradation, drift. */
  List<Alert> alerts() {
    List<TableRow> metrics = tables.metrics(spec.name());
    return Stream.of(
            labelsMissing(metrics),
            alert(
                AlertsTable.DEGRADATION,
                latestAlerts(metrics, ModelMetricsTable.METRIC),
                EvaluationHealth::degradation),
            alert(
                AlertsTable.DRIFT,
                latestAlerts(tables.drift(spec.name()), FeatureDriftTable.FEATURE),
                EvaluationHealth::drift))
        .flatMap(Optional::stream)
        .toList();
  }

  /**
   * Labels that stopped arriving: the model is evaluated (a succeeded {@code evaluate} run), yet no
   * late label came for {@code monitoring.labels_missing_after} of evaluated dates, counted from
   * the last date that had labels (or the first evaluated date). Logical dates, not the clock, so a
   * backfill is judged like the nights it replays.
   */
  private Optional<Alert> labelsMissing(List<TableRow> metrics) {
    MonitoringSpec monitoring = spec.monitoringOrDefaults();
    if (monitoring.labels() == null) {
      return Optional.empty();
    }
    List<LocalDate> evaluated =
        tables.runs(spec.name()).stream()
            .filter(
                r ->
                    "evaluate".equals(r.get(RunLog.JOB))
                        && RunStatus.SUCCEEDED.sqlName().equals(r.get(RunLog.STATUS)))
            .map(r -> r.<Date>get(RunLog.LOGICAL_DATE))
            .filter(Objects::nonNull)
            .map(Date::toLocalDate)
            .sorted()
            .toList();
    if (evaluated.isEmpty()) {
      return Optional.empty();
    }
    LocalDate latest = evaluated.get(evaluated.size() - 1);
    LocalDate labelled =
        metrics.stream()
            .filter(r -> r.<Long>get(ModelMetricsTable.ROWS) > 0)
            .map(r -> r.<Date>get(ModelMetricsTable.LOGICAL_DATE).toLocalDate())
            .max(Comparator.naturalOrder())
            .orElse(null);
    LocalDate from = labelled != null ? labelled : evaluated.get(0);
    long days = ChronoUnit.DAYS.between(from, latest);
    long allowed = Math.max(1, monitoring.labelsMissingAfter().toDays());
    if (days < allowed) {
      return Optional.empty();
    }
    return Optional.of(
        new Alert(
            AlertsTable.LABELS_MISSING,
            Timestamp.valueOf(from.plusDays(1).atStartOfDay()),
            String.format(
                "no late label arrived %s through %s (%d evaluated days; monitoring.labels_missing_after"
                    + " is %dd): check %s",
                labelled == null ? "since the first evaluated date " + from : "after " + from,
                latest,
                days,
                allowed,
                monitoring.labels().describe())));
  }

  /**
   * The alerting rows of the latest logical date among one model's {@code rows} of {@code
   * model_metrics} or {@code feature_drift} (both tables name their date and alert columns alike),
   * by version and then by {@code name} (the metric or the feature): an order of the values, not of
   * the files a reader happened to list first, so every reader describes an alert alike.
   */
  static List<TableRow> latestAlerts(List<TableRow> rows, String name) {
    Optional<Date> latest =
        rows.stream()
            .map(r -> r.<Date>get(ModelMetricsTable.LOGICAL_DATE))
            .max(Comparator.naturalOrder());
    return rows.stream()
        .filter(r -> r.<Date>get(ModelMetricsTable.LOGICAL_DATE).equals(latest.orElse(null)))
        .filter(r -> Boolean.TRUE.equals(r.get(ModelMetricsTable.ALERT)))
        .sorted(
            Comparator.comparing((TableRow r) -> r.<Integer>get(ModelMetricsTable.VERSION))
                .thenComparing(r -> r.<String>get(name)))
        .toList();
  }

  private static String degradation(TableRow row) {
    return String.format(
        "version %d %s %.5g on %s (holdout %.5g)",
        row.<Integer>get(ModelMetricsTable.VERSION),
        row.<String>get(ModelMetricsTable.METRIC),
        row.<Double>get(ModelMetricsTable.VALUE),
        row.<Date>get(ModelMetricsTable.LOGICAL_DATE),
        row.<Double>get(ModelMetricsTable.HOLDOUT_VALUE));
  }

  private static String drift(TableRow row) {
    return String.format(
        "%s drifted on %s (PSI %.3f)",
        row.<String>get(FeatureDriftTable.FEATURE),
        row.<Date>get(FeatureDriftTable.LOGICAL_DATE),
        row.<Double>get(FeatureDriftTable.PSI));
  }

  /**
   * The alert of {@code kind} that {@code rows} (one evaluated date's alerting rows) raise, each
   * row described by {@code describe}; empty when there are none.
   */
  private static Optional<Alert> alert(
      String kind, List<TableRow> rows, Function<TableRow, String> describe) {
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Date day = rows.get(rows.size() - 1).get(ModelMetricsTable.LOGICAL_DATE);
    String details = String.join("; ", rows.stream().map(describe).toList());
    return Optional.of(
        new Alert(kind, Timestamp.valueOf(day.toLocalDate().atStartOfDay()), details));
  }
}
