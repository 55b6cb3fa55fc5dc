package io.nightjar.cli;

import io.nightjar.jobs.SpecResolver;
import io.nightjar.jobs.StatusJob;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code status [--model NAME]}: exit 1 when a model needs a person (usable as an Airflow sensor or
 * cron check).
 */
@Command(
    name = "status",
    description = {
      "Health of each model: freshness of its predictions, its last runs and their durations, open alerts.",
      "Exits 1 when predictions are stale or missing, a last run failed, or an alert is open."
    })
final class StatusCommand extends Subcommand {
  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "Only this model (default: every model).")
  String model;

  @Mixin FormatOption output;

  @Override
  int run(PrintWriter out) {
    var context = context();
    String name = model == null ? null : new SpecResolver(context).modelName(model);
    List<StatusJob.ModelStatus> statuses = new StatusJob(context).run(name);
    if (statuses.isEmpty()) {
      out.println("No models are registered yet: nothing to check.");
      return ExitCodes.OK;
    }
    List<List<Object>> rows = new ArrayList<>();
    for (StatusJob.ModelStatus s : statuses) {
      boolean json = output.format == OutputFormat.JSON;
      rows.add(
          Arrays.asList(
              s.model(),
              s.healthy() ? "ok" : "attention",
              s.production(),
              s.lastScoredAt(),
              s.validUntil(),
              s.fresh(),
              json ? s.lastRuns() : String.join("; ", s.lastRuns()),
              json ? s.problems() : String.join("; ", s.problems())));
    }
    RowPrinter.print(
        out,
        output.format,
        List.of(
            "model",
            "status",
            "production",
            "last_scored_at",
            "valid_until",
            "fresh",
            "last_runs",
            "problems"),
        rows);
    return statuses.stream().allMatch(StatusJob.ModelStatus::healthy)
        ? ExitCodes.OK
        : ExitCodes.FAILURE;
  }
}
