package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import io.nightjar.config.TableName;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.MonitoringView;
import io.nightjar.registry.SparkTableRow;
import io.nightjar.registry.TableRow;
import io.nightjar.scoring.PredictionTable;
import io.nightjar.spark.WarehouseTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * {@link MonitoringView} read through the job's Spark session: for jobs that have one already
 * ({@code nightly}'s refresh of the alerts). io.nightjar.kernel's reader answers the same without
 * Spark.
 */
final class SparkMonitoringView implements MonitoringView {
  private final JobContext context;

  SparkMonitoringView(JobContext context) {
    this.context = context;
  }

  @Override
  public Optional<LatestScores> findLatestScores(TableName predictions, String model) {
    if (!context.warehouse().exists(predictions)) {
      return Optional.empty();
    }
    Row latest =
        PredictionTable.ofModel(context.warehouse().read(predictions), model)
            .agg(max(PredictionTable.SCORED_AT), max(PredictionTable.VALID_UNTIL))
            .first();
    return latest.isNullAt(0)
        ? Optional.empty()
        : Optional.of(new LatestScores(latest.getTimestamp(0), latest.getTimestamp(1)));
  }

  @Override
  public List<TableRow> runs(String model) {
    return collect(context.runs(), model, RUN_COLUMNS);
  }

  @Override
  public List<TableRow> metrics(String model) {
    return collect(
        new ModelMetricsTable(context.warehouse(), context.env().database()),
        model,
        METRIC_COLUMNS);
  }

  @Override
  public List<TableRow> drift(String model) {
    return collect(
        new FeatureDriftTable(context.warehouse(), context.env().database()), model, DRIFT_COLUMNS);
  }

  @Override
  public boolean alertsExist() {
    return alertsTable().exists();
  }

  @Override
  public List<TableRow> alerts(String model) {
    return collect(alertsTable(), model, ALERT_COLUMNS);
  }

  private AlertsTable alertsTable() {
    return new AlertsTable(context.warehouse(), context.env().database());
  }

  private static List<TableRow> collect(WarehouseTable table, String model, List<String> columns) {
    List<TableRow> out = new ArrayList<>();
    Column[] selected = columns.stream().map(c -> col(c)).toArray(Column[]::new);
    for (Row row : table.ofModel(model).select(selected).collectAsList()) {
      out.add(new SparkTableRow(row));
    }
    return out;
  }
}
