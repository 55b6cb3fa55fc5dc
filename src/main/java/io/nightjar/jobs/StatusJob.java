package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.RunLog;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.scoring.PredictionTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * {@code status}: is each model still there for its users? Freshness of its predictions against
 * their TTL, the last run of each job (with its duration against the median of the runs before),
 * and the alerts of the latest {@code evaluate}. A model needs attention when its predictions are
 * stale or missing, a last run failed, or an alert is open. Reads only; starts no training or
 * scoring.
 */
public final class StatusJob {
  /** How many earlier runs of a job the duration trend compares with. */
  static final int TREND_RUNS = 5;

  /** One model's health; {@code problems} is empty when it needs no one. */
  public record ModelStatus(
      String model,
      Integer production,
      Timestamp lastScoredAt,
      Timestamp validUntil,
      Boolean fresh,
      List<String> lastRuns,
      List<String> alerts,
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

  private ModelStatus status(String model, Timestamp now) {
    List<String> problems = new ArrayList<>();
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
        problems.add("never scored into " + predictions);
      } else {
        scoredAt = latest.getTimestamp(0);
        validUntil = latest.getTimestamp(1);
        fresh = now.before(validUntil);
        if (!fresh) {
          problems.add("predictions are stale: valid until " + validUntil);
        }
      }
    }
    List<String> lastRuns = lastRuns(model, problems);
    List<String> alerts = alerts(model);
    alerts.forEach(alert -> problems.add("alert: " + alert));
    Integer production = context.registry().alias(model, ModelAliasesTable.PRODUCTION).orElse(null);
    return new ModelStatus(
        model, production, scoredAt, validUntil, fresh, lastRuns, alerts, problems);
  }

  /** "job status date seconds (median of the runs before)" for the latest run of each job. */
  private List<String> lastRuns(String model, List<String> problems) {
    RunLog runs = context.runs();
    if (!runs.exists()) {
      return List.of();
    }
    List<Row> rows =
        runs.ofModel(model)
            .orderBy(col(RunLog.JOB), col(RunLog.STARTED_AT).desc())
            .select(
                RunLog.JOB,
                RunLog.STATUS,
                RunLog.LOGICAL_DATE,
                RunLog.STARTED_AT,
                RunLog.FINISHED_AT,
                RunLog.ERROR)
            .collectAsList();
    List<String> out = new ArrayList<>();
    String job = null;
    List<Double> earlier = new ArrayList<>();
    Row last = null;
    for (Row row : rows) {
      if (!row.getString(0).equals(job)) {
        if (last != null) {
          out.add(describe(last, earlier, problems));
        }
        job = row.getString(0);
        last = row;
        earlier = new ArrayList<>();
      } else if (earlier.size() < TREND_RUNS
          && RunStatus.fromSql(row.getString(1)) == RunStatus.SUCCEEDED) {
        earlier.add(seconds(row));
      }
    }
    if (last != null) {
      out.add(describe(last, earlier, problems));
    }
    return out;
  }

  private static String describe(Row run, List<Double> earlier, List<String> problems) {
    String job = run.getString(0);
    RunStatus status = RunStatus.fromSql(run.getString(1));
    if (status == RunStatus.FAILED) {
      problems.add("last " + job + " failed: " + run.getString(5));
    }
    String text = job + " " + status.sqlName() + " " + run.get(2);
    if (!run.isNullAt(4)) {
      text += String.format(" %.0fs", seconds(run));
      if (!earlier.isEmpty()) {
        List<Double> sorted = earlier.stream().sorted().toList();
        text += String.format(" (median before: %.0fs)", sorted.get(sorted.size() / 2));
      }
    }
    return text;
  }

  private static double seconds(Row run) {
    return (run.getTimestamp(4).getTime() - run.getTimestamp(3).getTime()) / 1000.0;
  }

  /** The open alerts: those of the model's latest evaluated date. */
  private List<String> alerts(String model) {
    List<String> out = new ArrayList<>();
    String database = context.env().database();
    for (Row row : new ModelMetricsTable(context.warehouse(), database).latestAlerts(model)) {
      out.add(
          String.format(
              "version %d %s %.5g on %s (holdout %.5g)",
              row.<Integer>getAs(ModelMetricsTable.VERSION),
              row.<String>getAs(ModelMetricsTable.METRIC),
              row.<Double>getAs(ModelMetricsTable.VALUE),
              row.getAs(ModelMetricsTable.LOGICAL_DATE),
              row.<Double>getAs(ModelMetricsTable.HOLDOUT_VALUE)));
    }
    for (Row row : new FeatureDriftTable(context.warehouse(), database).latestAlerts(model)) {
      out.add(
          String.format(
              "%s drifted on %s (PSI %.3f)",
              row.<String>getAs(FeatureDriftTable.FEATURE),
              row.getAs(FeatureDriftTable.LOGICAL_DATE),
              row.<Double>getAs(FeatureDriftTable.PSI)));
    }
    return out;
  }
}
