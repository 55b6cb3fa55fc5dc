package io.nightjar.cli;

import io.nightjar.config.ModelSpec;
import io.nightjar.jobs.EvaluateJob;
import io.nightjar.jobs.SpecResolver;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code evaluate --model NAME [--date D]}. */
@Command(
    name = "evaluate",
    description =
        "Join earlier predictions with the labels that arrived on the date and write model_metrics; measure the"
            + " drift of the date's scoring input and predictions into feature_drift.")
final class EvaluateCommand implements Callable<Integer> {
  @ParentCommand NightjarCli cli;

  @Mixin HelpOption help;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "Model name or spec file path.")
  String model;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "Logical date (default: today, UTC).")
  String date;

  @Override
  public Integer call() {
    var logicalDate = NightjarCli.date(date);
    var context = cli.context();
    ModelSpec spec = new SpecResolver(context).forExisting(model);
    EvaluateJob.Outcome outcome = new EvaluateJob(context).run(spec, logicalDate);
    var out = cli.spec.commandLine().getOut();
    out.printf(
        "%s on %s: %d late labels evaluated, %d drift measures, %d alerts%n",
        spec.name(), logicalDate, outcome.labelledRows(), outcome.drift().size(), outcome.alerts());
    List<List<Object>> rows = new ArrayList<>();
    for (Row r : outcome.metrics()) {
      rows.add(
          Arrays.asList(
              "metric",
              r.getAs(ModelMetricsTable.VERSION),
              r.getAs(ModelMetricsTable.METRIC),
              r.getAs(ModelMetricsTable.VALUE),
              r.getAs(ModelMetricsTable.ROWS),
              r.getAs(ModelMetricsTable.HOLDOUT_VALUE),
              r.getAs(ModelMetricsTable.ALERT)));
    }
    for (Row r : outcome.drift()) {
      rows.add(
          Arrays.asList(
              "psi",
              r.getAs(FeatureDriftTable.VERSION),
              r.getAs(FeatureDriftTable.FEATURE),
              r.getAs(FeatureDriftTable.PSI),
              null,
              null,
              r.getAs(FeatureDriftTable.ALERT)));
    }
    if (!rows.isEmpty()) {
      RowPrinter.print(
          out,
          OutputFormat.TABLE,
          List.of("kind", "version", "name", "value", "rows", "holdout", "alert"),
          rows);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
