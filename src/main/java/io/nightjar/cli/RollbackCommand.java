package io.nightjar.cli;

import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.RollbackJob;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rollback --model NAME [--reason T]}. */
@Command(
    name = "rollback",
    description = "Move alias production back to the version that held it before.")
final class RollbackCommand extends ModelCommand {
  @Mixin ReasonOption reason;

  @Override
  int run(JobContext context, String name, PrintWriter out) {
    RollbackJob.Outcome outcome =
        new RollbackJob(context).run(name, reason.reason, NightjarCli.date(null));
    out.printf(
        "%s rolled back: production is version %d again (was version %d)%n",
        name, outcome.version(), outcome.previous());
    return ExitCodes.OK;
  }
}
