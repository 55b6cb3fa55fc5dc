package io.nightjar.cli;

import io.nightjar.config.ModelSpec;
import io.nightjar.jobs.EvaluateJob;
import io.nightjar.jobs.SpecResolver;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code evaluate --model NAME [--date D]}. */
@Command(
    name = "evaluate",
    description =
        "Join earlier predictions with the labels that arrived on the date and write model_metrics; measure the"
            + " drift of the date's scoring input and predictions into feature_drift.")
final class EvaluateCommand extends Subcommand {
  @Mixin ModelOption model;

  @Mixin DateOption date;

  @Override
  int run(PrintWriter out) {
    var logicalDate = date.logicalDate();
    var context = context();
    ModelSpec spec = new SpecResolver(context).forExisting(model.model);
    EvaluateJob.Outcome outcome = new EvaluateJob(context).run(spec, logicalDate);
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
    return ExitCodes.OK;
  }
}
