package io.nightjar.cli;

import io.nightjar.config.ModelSpec;
import io.nightjar.jobs.NightlyJob;
import io.nightjar.jobs.SpecResolver;
import io.nightjar.jobs.TrainJob;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nightly --model SPEC --date D}: the whole nightly pipeline of one model, idempotent per
 * date. Exits {@link ExitCodes#DEGRADED} when the train failed or timed out and the production
 * version scored the date.
 */
@Command(
    name = "nightly",
    description =
        "Train, run the promotion gate, score and evaluate one model for a logical date, as one run that can be"
            + " retried (e.g. by Airflow with --date {{ ds }}).")
final class NightlyCommand extends Subcommand {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "SPEC",
      description = "Model name or spec file path.")
  String model;

  @Option(
      names = "--date",
      required = true,
      paramLabel = "YYYY-MM-DD",
      description = "Logical date, e.g. Airflow's {{ ds }}.")
  String date;

  @Option(
      names = "--retrain",
      description =
          "Train even when the date's last nightly ended degraded (its scores are written, so a"
              + " plain rerun does not train again).")
  boolean retrain;

  @Override
  int run(PrintWriter out) {
    var logicalDate = NightjarCli.date(date);
    var context = context();
    ModelSpec spec = new SpecResolver(context).forTraining(model);
    NightlyJob.Outcome outcome = new NightlyJob(context).run(spec, logicalDate, retrain);
    if (outcome.trained() == null) {
      out.printf("%s %s: degraded, %s%n", spec.name(), logicalDate, outcome.degraded());
    } else {
      var trained = outcome.trained().version();
      out.printf(
          "%s %s: version %d %s (%s)%n",
          spec.name(),
          logicalDate,
          trained.version(),
          outcome.trained().reused() ? "already trained" : "trained",
          TrainJob.metrics(trained.evaluation().holdoutMetrics()));
    }
    var gate = outcome.gate();
    out.printf(
        "gate: %s%n",
        gate.event() == null
            ? "version " + gate.version() + " is in production"
            : gate.event().sqlName()
                + " version "
                + gate.version()
                + (gate.reason() == null ? "" : ": " + gate.reason()));
    out.printf(
        "scored %d rows with version %d into %s%n",
        outcome.scored().rows(), outcome.scored().version(), outcome.scored().table());
    if (outcome.evaluated() == null) {
      out.println("evaluate: skipped (the spec has no monitoring.labels or no data.time)");
    } else {
      out.printf(
          "evaluate: %d late labels, %d drift measures, %d alerts%n",
          outcome.evaluated().labelledRows(),
          outcome.evaluated().drift().size(),
          outcome.evaluated().alerts());
    }
    return outcome.degraded() == null ? ExitCodes.OK : ExitCodes.DEGRADED;
  }
}
