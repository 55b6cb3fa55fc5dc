package io.nightjar.cli;

import io.nightjar.config.Choices;
import io.nightjar.config.ConfigException;
import io.nightjar.config.ModelSpec;
import io.nightjar.jobs.ReproduceJob;
import io.nightjar.jobs.SpecResolver;
import io.nightjar.jobs.TrainJob;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train --model SPEC [--date D]}, or {@code train --reproduce NAME --version N}. */
@Command(
    name = "train",
    description = {
      "Tune every candidate, refit the best, evaluate it on the holdout and register a new version.",
      "With --reproduce NAME --version N: refit version N's configuration from its recorded spec and training data"
          + " version and compare its holdout metrics with the recorded ones (registers nothing)."
    })
final class TrainCommand extends Subcommand {
  @Option(names = "--model", paramLabel = "SPEC", description = "Model name or spec file path.")
  String model;

  @Option(
      names = "--reproduce",
      paramLabel = "NAME",
      description = "Reproduce a registered version of this model.")
  String reproduce;

  @Option(
      names = "--version",
      paramLabel = "N",
      description = "With --reproduce: the version to reproduce.")
  Integer version;

  @Mixin DateOption date;

  @Override
  int run(PrintWriter out) {
    var logicalDate = date.logicalDate();
    ConfigException.check(
        (model == null) != (reproduce == null),
        "Invalid options for train: give either --model SPEC, or --reproduce NAME with --version N.");
    ConfigException.check(
        (reproduce == null) == (version == null),
        reproduce == null
            ? "Invalid option --version for train: it is used with --reproduce NAME."
            : "Missing option --version for train --reproduce: which version of '"
                + reproduce
                + "' to reproduce.");
    if (reproduce != null) {
      return reproduce(logicalDate, out);
    }
    var context = context();
    ModelSpec spec = new SpecResolver(context).forTraining(model);
    TrainJob.Outcome outcome = new TrainJob(context).run(spec, logicalDate);
    var version = outcome.version();
    out.printf(
        "%s version %d %s (%s/%s, cv %s %.5g ± %.3g)%n",
        version.modelName(),
        version.version(),
        outcome.reused() ? "already trained for " + logicalDate : "registered",
        Choices.name(version.recipe().family()),
        Choices.name(version.recipe().loss()),
        Choices.name(version.evaluation().cvMetric()),
        version.evaluation().cvMean(),
        version.evaluation().cvStd());
    out.println("holdout: " + TrainJob.metrics(version.evaluation().holdoutMetrics()));
    if (outcome.promoted()) {
      out.println("promoted to production: it is the model's first version");
    }
    out.println("artifact: " + version.artifact().uri());
    return ExitCodes.OK;
  }

  private int reproduce(LocalDate logicalDate, PrintWriter out) {
    var context = context();
    String name = new SpecResolver(context).modelName(reproduce);
    ReproduceJob.Outcome outcome = new ReproduceJob(context).run(name, version, logicalDate);
    var original = outcome.original();
    out.printf(
        "%s version %d reproduced from %s at version %s (%d training rows, %.1fs)%n",
        name,
        version,
        original.trainingData().source(),
        original.trainingData().deltaVersion() == null
            ? "now (not a Delta table)"
            : original.trainingData().deltaVersion(),
        outcome.trainingRows(),
        outcome.seconds());
    List<List<Object>> rows = new ArrayList<>();
    outcome
        .differences()
        .forEach(
            (metric, difference) ->
                rows.add(
                    Arrays.asList(
                        metric,
                        outcome.recorded().get(metric),
                        outcome.reproduced().get(metric),
                        difference)));
    RowPrinter.print(
        out, OutputFormat.TABLE, List.of("metric", "recorded", "reproduced", "difference"), rows);
    return ExitCodes.OK;
  }
}
