package io.nightjar.cli;

import io.nightjar.config.ModelSpec;
import io.nightjar.jobs.SpecResolver;
import io.nightjar.jobs.TrainJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code train --model SPEC [--date D]}. */
@Command(
    name = "train",
    description = "Tune every candidate, refit the best, evaluate it on the holdout and register a new version.")
final class TrainCommand implements Callable<Integer> {
  @ParentCommand NightjarCli cli;

  @Mixin HelpOption help;

  @Option(names = "--model", required = true, paramLabel = "SPEC", description = "Model name or spec file path.")
  String model;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Logical date (default: today, UTC).")
  String date;

  @Override
  public Integer call() {
    var logicalDate = NightjarCli.date(date);
    var context = cli.context();
    ModelSpec spec = new SpecResolver(context).forTraining(model);
    TrainJob.Outcome outcome = new TrainJob(context).run(spec, logicalDate);
    var out = cli.spec.commandLine().getOut();
    var version = outcome.version();
    out.printf(
        "%s version %d %s (%s/%s, cv %s %.5g ± %.3g)%n",
        version.modelName(),
        version.version(),
        outcome.reused() ? "already trained for " + logicalDate : "registered",
        version.family(),
        version.loss(),
        version.cvMetric(),
        version.cvMean(),
        version.cvStd());
    out.println("holdout: " + TrainJob.metrics(version.holdoutMetrics()));
    if (outcome.promoted()) {
      out.println("promoted to production: it is the model's first version");
    }
    out.println("artifact: " + version.artifactUri());
    out.flush();
    return ExitCodes.OK;
  }
}
