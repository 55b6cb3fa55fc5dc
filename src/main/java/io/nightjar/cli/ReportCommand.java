package io.nightjar.cli;

import io.nightjar.jobs.ReportJob;
import io.nightjar.jobs.SpecResolver;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code report --model NAME [--version N]}. */
@Command(
    name = "report",
    description =
        "Write the HTML reports of a version (default: production) under the environment's reports directory:"
            + " training.html (tuning, feature importance, holdout, comparison with production) and monitoring.html"
            + " (quality on delayed labels, drift, job timings). Self-contained files that open offline.")
final class ReportCommand implements Callable<Integer> {
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
      description = "Version to report on (default: production).")
  Integer version;

  @Override
  public Integer call() {
    var context = cli.context();
    String name = new SpecResolver(context).modelName(model);
    ReportJob.Written written = new ReportJob(context).run(name, version);
    var out = cli.spec.commandLine().getOut();
    out.println(written.training());
    out.println(written.monitoring());
    out.flush();
    return ExitCodes.OK;
  }
}
