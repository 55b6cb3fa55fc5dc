package io.nightjar.cli;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.jobs.StatusJob;
import io.nightjar.monitoring.Alert;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code status [--model NAME]}: exit 1 when a model needs a person (usable as an Airflow sensor or
 * cron check).
 */
@Command(
    name = "status",
    description = {
      "Health of each model: freshness of its predictions, its last runs and their durations, open alerts"
          + " (also in the alerts table).",
      "Exits 1 when an alert is open: predictions stale or missing; a last run failed, timed out, ended"
          + " degraded, was left running or was slow; late labels missing; drift or degradation."
    })
final class StatusCommand extends Subcommand {
  @Mixin ModelFilterOption model;

  @Mixin FormatOption output;

  @Override
  int run(PrintWriter out) {
    EnvironmentConfig env = cli.environment();
    String name = model.nameOrNull(env);
    // Delta Kernel reads the tables, so a status that finds nothing new answers without starting
    // Spark; the job opens the context (and Spark) only when the alerts table must change.
    List<StatusJob.ModelStatus> statuses =
        StatusJob.readingWithKernel(env, this::context).run(name);
    if (statuses.isEmpty()) {
      out.println("No models are registered yet: nothing to check.");
      return ExitCodes.OK;
    }
    boolean json = output.format == OutputFormat.JSON;
    List<List<Object>> rows = new ArrayList<>();
    for (StatusJob.ModelStatus s : statuses) {
      List<Object> row =
          new ArrayList<>(
              Arrays.asList(
                  s.model(),
                  s.healthy() ? "ok" : "attention",
                  s.production(),
                  s.lastScoredAt(),
                  s.validUntil(),
                  s.fresh(),
                  json ? s.lastRuns() : String.join("; ", s.lastRuns()),
                  json ? s.problems() : String.join("; ", s.problems())));
      if (json) {
        row.add(alerts(s.alerts()));
      }
      rows.add(row);
    }
    List<String> columns =
        new ArrayList<>(
            List.of(
                "model",
                "status",
                "production",
                "last_scored_at",
                "valid_until",
                "fresh",
                "last_runs",
                "problems"));
    if (json) {
      columns.add("alerts"); // for alerting systems: the same as problems, as objects
    }
    RowPrinter.print(out, output.format, columns, rows);
    return statuses.stream().allMatch(StatusJob.ModelStatus::healthy)
        ? ExitCodes.OK
        : ExitCodes.FAILURE;
  }

  /** The open alerts as JSON objects for alerting systems: kind, since (ISO), details. */
  private static List<Map<String, String>> alerts(List<Alert> alerts) {
    return alerts.stream()
        .map(
            a ->
                Map.of(
                    "kind",
                    a.kind(),
                    "since",
                    a.since().toInstant().toString(),
                    "details",
                    a.details()))
        .toList();
  }
}
