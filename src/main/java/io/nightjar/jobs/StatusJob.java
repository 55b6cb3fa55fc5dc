package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.nightjar.config.ModelSpec;
import io.nightjar.config.MonitoringSpec;
import io.nightjar.config.TableName;
import io.nightjar.monitoring.Alert;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.RunLog;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.scoring.PredictionTable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;

/**
 * {@code status}: does anything of a model need a person? It judges the freshness of the model's
 * predictions against their TTL, the last run of each job ({@link RunHealth}: failed, timed out,
 * degraded, left running, slow), whether late labels still arrive while the model is evaluated, and
 * the drift and degradation alerts of the latest {@code evaluate}. Each finding is an {@link Alert}
 * with a kind, since when it holds and what it is; the {@code alerts} table is brought in line with
 * them (new ones opened, cleared ones resolved), and the open ones are returned. Starts no training
 * or scoring.
 */
public final class StatusJob {
  /**
   * One model's health; {@code problems} (one line per open alert) is empty when it needs no one.
   */
  public record ModelStatus(
      String model,
      Integer production,
      Timestamp lastScoredAt,
      Timestamp validUntil,
      Boolean fresh,
      List<String> lastRuns,
      List<Alert> alerts,
      List<String> problems) {
    public boolean healthy() {
      return problems.isEmpty();
    }
  }

  private final JobContext context;

  public StatusJob(JobContext context) {
    this.context = context;
  }

  /** The status of {@code model}, or of every registered model when it is null. */
  public List<ModelStatus> run(String model) {
    List<String> models = model != null ? List.of(model) : context.registry().models();
    if (model != null) {
      context.registry().requireModel(model);
    }
    Timestamp now = Timestamp.from(Instant.now());
    List<ModelStatus> out = new ArrayList<>();
    for (String name : models) {
      out.add(status(name, now));
    }
    return out;
  }

  /** Judges {@code model} and brings its rows of the {@code alerts} table in line. */
  public void refresh(String model) {
    status(model, Timestamp.from(Instant.now()));
  }

  private ModelStatus status(String model, Timestamp now) {
    List<Alert> found = new ArrayList<>();
    ModelSpec spec = new SpecResolver(context).forExisting(model);
    Timestamp scoredAt = null;
    Timestamp validUntil = null;
    Boolean fresh = null;
    if (spec.scoring() != null) {
      TableName predictions = new TableName(context.env().database(), spec.scoring().output());
      Row latest =
          context.warehouse().exists(predictions)
              ? PredictionTable.ofModel(context.warehouse().read(predictions), model)
                  .agg(max(PredictionTable.SCORED_AT), max(PredictionTable.VALID_UNTIL))
                  .first()
              : null;
      if (latest == null || latest.isNullAt(0)) {
        found.add(
            new Alert(AlertsTable.MISSING_PREDICTIONS, now, "never scored into " + predictions));
      } else {
        scoredAt = latest.getTimestamp(0);
        validUntil = latest.getTimestamp(1);
        fresh = now.before(validUntil);
        if (!fresh) {
          found.add(
              new Alert(
                  AlertsTable.STALE_PREDICTIONS,
                  validUntil,
                  "the latest predictions in " + predictions + " were valid until " + validUntil));
        }
      }
    }
    RunHealth.Findings runs = new RunHealth(spec, now).judge(context.runs());
    found.addAll(runs.alerts());
    labelsMissing(spec).ifPresent(found::add);
    found.addAll(evaluateAlerts(model));
    AlertsTable table = new AlertsTable(context.warehouse(), context.env().database());
    table.sync(model, AlertsTable.KINDS, found, now);
    List<Alert> open = table.open(model);
    Integer production = context.registry().alias(model, ModelAliasesTable.PRODUCTION).orElse(null);
    return new ModelStatus(
        model,
        production,
        scoredAt,
        validUntil,
        fresh,
        runs.lastRuns(),
        open,
        open.stream().map(Alert::describe).toList());
  }

  /**
   * Labels that stopped arriving: the model is evaluated (a succeeded {@code evaluate} run), yet no
   * late label came for {@code monitoring.labels_missing_after} of evaluated dates, counted from
   * the last date that had labels (or the first evaluated date). Logical dates, not the clock, so a
   * backfill is judged like the nights it replays.
   */
  private Optional<Alert> labelsMissing(ModelSpec spec) {
    MonitoringSpec monitoring = spec.monitoringOrDefaults();
    RunLog runs = context.runs();
    if (monitoring.labels() == null || !runs.exists()) {
      return Optional.empty();
    }
    Row evaluated =
        runs.ofModel(spec.name())
            .where(
                col(RunLog.JOB)
                    .equalTo("evaluate")
                    .and(col(RunLog.STATUS).equalTo(RunStatus.SUCCEEDED.sqlName())))
            .agg(min(RunLog.LOGICAL_DATE), max(RunLog.LOGICAL_DATE))
            .first();
    if (evaluated.isNullAt(0)) {
      return Optional.empty();
    }
    LocalDate latest = evaluated.getDate(1).toLocalDate();
    ModelMetricsTable metrics =
        new ModelMetricsTable(context.warehouse(), context.env().database());
    LocalDate labelled = null;
    if (metrics.exists()) {
      Row last =
          metrics
              .ofModel(spec.name())
              .where(col(ModelMetricsTable.ROWS).gt(0))
              .agg(max(ModelMetricsTable.LOGICAL_DATE))
              .first();
      labelled = last.isNullAt(0) ? null : last.getDate(0).toLocalDate();
    }
    LocalDate from = labelled != null ? labelled : evaluated.getDate(0).toLocalDate();
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

  /** The drift and degradation alerts of the model's latest evaluated date. */
  private List<Alert> evaluateAlerts(String model) {
    String database = context.env().database();
    List<Row> degraded = new ModelMetricsTable(context.warehouse(), database).latestAlerts(model);
    List<Row> drifted = new FeatureDriftTable(context.warehouse(), database).latestAlerts(model);
    return Stream.of(
            alert(
                AlertsTable.DEGRADATION,
                degraded,
                ModelMetricsTable.LOGICAL_DATE,
                StatusJob::degradation),
            alert(AlertsTable.DRIFT, drifted, FeatureDriftTable.LOGICAL_DATE, StatusJob::drift))
        .flatMap(Optional::stream)
        .toList();
  }

  private static String degradation(Row row) {
    return String.format(
        "version %d %s %.5g on %s (holdout %.5g)",
        row.<Integer>getAs(ModelMetricsTable.VERSION),
        row.<String>getAs(ModelMetricsTable.METRIC),
        row.<Double>getAs(ModelMetricsTable.VALUE),
        row.<Date>getAs(ModelMetricsTable.LOGICAL_DATE),
        row.<Double>getAs(ModelMetricsTable.HOLDOUT_VALUE));
  }

  private static String drift(Row row) {
    return String.format(
        "%s drifted on %s (PSI %.3f)",
        row.<String>getAs(FeatureDriftTable.FEATURE),
        row.<Date>getAs(FeatureDriftTable.LOGICAL_DATE),
        row.<Double>getAs(FeatureDriftTable.PSI));
  }

  /**
   * The alert of {@code kind} that {@code rows} (one evaluated date's alerting rows, dated in
   * {@code dateColumn}) raise, each row described by {@code describe}; empty when there are none.
   */
  private static Optional<Alert> alert(
      String kind, List<Row> rows, String dateColumn, Function<Row, String> describe) {
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Date day = rows.get(rows.size() - 1).getAs(dateColumn);
    List<String> descriptions = rows.stream().map(describe).toList();
    return Optional.of(new Alert(kind, startOf(day), String.join("; ", descriptions)));
  }

  private static Timestamp startOf(Date date) {
    return Timestamp.valueOf(date.toLocalDate().atStartOfDay());
  }
}
