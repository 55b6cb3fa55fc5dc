package io.nightjar.kernel;

import io.delta.kernel.data.Row;
import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.TableName;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.MonitoringView;
import io.nightjar.monitoring.RunLog;
import io.nightjar.registry.TableRow;
import io.nightjar.scoring.PredictionTable;
import io.nightjar.spark.Warehouse;
import io.nightjar.spark.WarehouseTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The monitoring tables and predictions read with Delta Kernel, without a SparkSession: the same
 * rows as Spark's reader, with the columns {@link MonitoringView} names. Each of Nightjar's tables
 * is read once, at its first question, and answers from that snapshot after (one invocation sees
 * one state of each table); a prediction table, which may be large, is scanned for each question,
 * three columns only, and its rows are not kept.
 */
public final class KernelMonitoring implements MonitoringView {
  private final KernelTables tables;
  private final String warehouse;
  private final String database;
  private final Map<String, Map<String, List<TableRow>>> byTable = new HashMap<>();
  private Boolean alertsExist;

  public KernelMonitoring(String warehouse, String database, Configuration hadoop) {
    this.tables = new KernelTables(hadoop);
    this.warehouse = warehouse;
    this.database = database;
  }

  /** The tables of {@code env}'s warehouse and database. */
  public static KernelMonitoring open(EnvironmentConfig env) {
    return new KernelMonitoring(
        env.warehouse(), env.database(), KernelTables.hadoopConf(env.sparkConf()));
  }

  @Override
  public Optional<LatestScores> findLatestScores(TableName predictions, String model) {
    String modelName = PredictionTable.MODEL_NAME;
    List<String> columns =
        List.of(modelName, PredictionTable.SCORED_AT, PredictionTable.VALID_UNTIL);
    long[] max = {Long.MIN_VALUE, Long.MIN_VALUE};
    boolean[] any = {false, false};
    // Rows are not copied: a prediction table holds a row per entity and date.
    tables.scan(
        Warehouse.location(warehouse, predictions),
        columns,
        KernelTables.modelIs(model),
        row -> {
          int name = row.getSchema().indexOf(modelName);
          if (row.isNullAt(name) || !model.equals(row.getString(name))) {
            return;
          }
          for (int i = 0; i < 2; i++) {
            int column = row.getSchema().indexOf(columns.get(i + 1));
            if (!row.isNullAt(column)) {
              max[i] = Math.max(max[i], row.getLong(column)); // microseconds since the epoch
              any[i] = true;
            }
          }
        });
    if (!any[0]) {
      return Optional.empty();
    }
    // As SQL's max: each column's own maximum, null when the column holds only nulls.
    return Optional.of(
        new LatestScores(KernelRow.timestamp(max[0]), any[1] ? KernelRow.timestamp(max[1]) : null));
  }

  @Override
  public List<TableRow> runs(String model) {
    return ofModel(RunLog.TABLE, RUN_COLUMNS, model);
  }

  @Override
  public List<TableRow> metrics(String model) {
    return ofModel(ModelMetricsTable.NAME, METRIC_COLUMNS, model);
  }

  @Override
  public List<TableRow> drift(String model) {
    return ofModel(FeatureDriftTable.NAME, DRIFT_COLUMNS, model);
  }

  @Override
  public boolean alertsExist() {
    if (alertsExist == null) {
      alertsExist = tables.exists(path(AlertsTable.NAME));
    }
    return alertsExist;
  }

  @Override
  public List<TableRow> alerts(String model) {
    return ofModel(AlertsTable.NAME, ALERT_COLUMNS, model);
  }

  /** {@code model}'s rows of {@code table}: the table's {@code columns} read once, by model. */
  private List<TableRow> ofModel(String table, List<String> columns, String model) {
    Map<String, List<TableRow>> rows = byTable.computeIfAbsent(table, t -> byModel(t, columns));
    return List.copyOf(rows.getOrDefault(model, List.of()));
  }

  private Map<String, List<TableRow>> byModel(String table, List<String> columns) {
    List<String> read = new ArrayList<>(columns);
    read.add(WarehouseTable.MODEL_NAME);
    Map<String, List<TableRow>> out = new HashMap<>();
    tables.scan(
        path(table),
        read,
        null,
        (Row row) -> {
          KernelRow copy = KernelRow.copyOf(row);
          String model = copy.get(WarehouseTable.MODEL_NAME);
          if (model != null) {
            out.computeIfAbsent(model, m -> new ArrayList<>()).add(copy);
          }
        });
    return out;
  }

  private String path(String table) {
    return Warehouse.location(warehouse, new TableName(database, table));
  }
}
