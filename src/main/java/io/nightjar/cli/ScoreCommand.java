package io.nightjar.cli;

import io.nightjar.jobs.ScoreJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code score --model NAME [--version N] [--date D]}. */
@Command(
    name = "score",
    description = "Score the spec's scoring input into the prediction table for a logical date.")
final class ScoreCommand implements Callable<Integer> {
  @ParentCommand NightjarCli cli;

  @Mixin HelpOption help;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "Model name or spec file path.")
  String model;

  @Option(
      names = "--version",
      paramLabel = "N",
      description = "Version to score with (default: production).")
  Integer version;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "Logical date (default: today, UTC).")
  String date;

  @Override
  public Integer call() {
    var logicalDate = NightjarCli.date(date);
    ScoreJob.Outcome outcome = new ScoreJob(cli.context()).run(model, version, logicalDate);
    var out = cli.spec.commandLine().getOut();
    out.printf(
        "scored %d rows with version %d for %s into %s (latest per entity: %s)%n",
        outcome.rows(), outcome.version(), outcome.date(), outcome.table(), outcome.view());
    out.flush();
    return ExitCodes.OK;
  }
}
