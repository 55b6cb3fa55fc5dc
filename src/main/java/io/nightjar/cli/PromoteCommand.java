package io.nightjar.cli;

import io.nightjar.jobs.PromoteJob;
import io.nightjar.jobs.SpecResolver;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code promote --model NAME [--version N] [--reason T]}. */
@Command(
    name = "promote",
    description =
        "Move alias production to version N, or to the candidate if it beats production on its holdout rows by"
            + " promotion.min_improvement.")
final class PromoteCommand implements Callable<Integer> {
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
      description = "Promote this version (default: the candidate, gated).")
  Integer version;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in model_events.")
  String reason;

  @Override
  public Integer call() {
    var context = cli.context();
    String name = new SpecResolver(context).modelName(model);
    PromoteJob.Outcome outcome =
        new PromoteJob(context).run(name, version, reason, NightjarCli.date(null));
    var out = cli.spec.commandLine().getOut();
    if (outcome.event() == null) {
      out.printf(
          "%s version %d is already in production: nothing to do%n", name, outcome.version());
    } else if (outcome.decidedEarlier()) {
      out.printf(
          "%s version %d was already %s against production version %d: %s%n",
          name, outcome.version(), outcome.event().sqlName(), outcome.previous(), outcome.reason());
    } else if (outcome.promoted()) {
      out.printf(
          "%s version %d promoted to production (was %s): %s%n",
          name,
          outcome.version(),
          outcome.previous() == null ? "none" : "version " + outcome.previous(),
          outcome.reason());
    } else {
      out.printf(
          "%s version %d rejected; production stays version %d: %s%n",
          name, outcome.version(), outcome.previous(), outcome.reason());
    }
    out.flush();
    // A candidate that loses the gate is a success (exit 0): the gate did its job.
    return ExitCodes.OK;
  }
}
