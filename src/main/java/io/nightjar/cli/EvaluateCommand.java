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
  /** The columns of a {@code model_metrics} row printed after its kind. */
  static final List<String> METRIC_COLUMNS =
      List.of(
          ModelMetricsTable.VERSION,
          ModelMetricsTable.METRIC,
          ModelMetricsTable.VALUE,
          ModelMetricsTable.ROWS,
          ModelMetricsTable.HOLDOUT_VALUE,
          ModelMetricsTable.ALERT);

  /** The same for a {@code feature_drift} row, which has no rows nor holdout value (null). */
  static final List<String> DRIFT_COLUMNS =
      Arrays.asList(
          FeatureDriftTable.VERSION,
          FeatureDriftTable.FEATURE,
          FeatureDriftTable.PSI,
          null,
          null,
          FeatureDriftTable.ALERT);

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
    outcome.metrics().forEach(r -> rows.add(printed("metric", r, METRIC_COLUMNS)));
    outcome.drift().forEach(r -> rows.add(printed("psi", r, DRIFT_COLUMNS)));
    if (!rows.isEmpty()) {
      RowPrinter.print(
          out,
          OutputFormat.TABLE,
          List.of("kind", "version", "name", "value", "rows", "holdout", "alert"),
          rows);
    }
    return ExitCodes.OK;
  }

  /** {@code kind}, then the values of {@code columns} in {@code row} (null for a null column). */
  static List<Object> printed(String kind, Row row, List<String> columns) {
    List<Object> printed = new ArrayList<>();
    printed.add(kind);
    for (String column : columns) {
      printed.add(column == null ? null : row.getAs(column));
    }
    return printed;
  }
}
