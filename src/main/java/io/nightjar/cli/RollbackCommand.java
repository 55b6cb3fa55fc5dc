package io.nightjar.cli;

import io.nightjar.jobs.RollbackJob;
import io.nightjar.jobs.SpecResolver;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rollback --model NAME [--reason T]}. */
@Command(
    name = "rollback",
    description = "Move alias production back to the version that held it before.")
final class RollbackCommand implements Callable<Integer> {
  @ParentCommand NightjarCli cli;

  @Mixin HelpOption help;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "Model name or spec file path.")
  String model;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in model_events.")
  String reason;

  @Override
  public Integer call() {
    var context = cli.context();
    String name = new SpecResolver(context).modelName(model);
    RollbackJob.Outcome outcome =
        new RollbackJob(context).run(name, reason, NightjarCli.date(null));
    var out = cli.spec.commandLine().getOut();
    out.printf(
        "%s rolled back: production is version %d again (was version %d)%n",
        name, outcome.version(), outcome.previous());
    out.flush();
    return ExitCodes.OK;
  }
}
