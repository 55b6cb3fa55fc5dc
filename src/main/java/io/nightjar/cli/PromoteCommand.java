package io.nightjar.cli;

import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.PromoteJob;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code promote --model NAME [--version N] [--reason T]}. */
@Command(
    name = "promote",
    description =
        "Move alias production to version N, or to the candidate if it beats production on its holdout rows by"
            + " promotion.min_improvement.")
final class PromoteCommand extends ModelCommand {
  @Option(
      names = "--version",
      paramLabel = "N",
      description = "Promote this version (default: the candidate, gated).")
  Integer version;

  @Mixin ReasonOption reason;

  @Override
  int run(JobContext context, String name, PrintWriter out) {
    PromoteJob.Outcome outcome =
        new PromoteJob(context).run(name, version, reason.reason, NightjarCli.date(null));
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
    // A candidate that loses the gate is a success (exit 0): the gate did its job.
    return ExitCodes.OK;
  }
}
