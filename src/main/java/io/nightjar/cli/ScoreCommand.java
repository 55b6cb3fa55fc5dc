package io.nightjar.cli;

import io.nightjar.jobs.ScoreJob;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code score --model NAME [--version N] [--date D]}. */
@Command(
    name = "score",
    description = "Score the spec's scoring input into the prediction table for a logical date.")
final class ScoreCommand extends Subcommand {
  @Mixin ModelOption model;

  @Option(
      names = "--version",
      paramLabel = "N",
      description = "Version to score with (default: production).")
  Integer version;

  @Mixin DateOption date;

  @Override
  int run(PrintWriter out) {
    var logicalDate = date.logicalDate();
    ScoreJob.Outcome outcome = new ScoreJob(context()).run(model.model, version, logicalDate);
    out.printf(
        "scored %d rows with version %d for %s into %s (latest per entity: %s)%n",
        outcome.rows(), outcome.version(), outcome.date(), outcome.table(), outcome.view());
    return ExitCodes.OK;
  }
}
