package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.nightjar.config.Choices;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.MonitoringSpec;
import io.nightjar.config.TableName;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.RunLog;
import io.nightjar.registry.ArtifactStore;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.TrialsTable;
import io.nightjar.report.MonitoringReport;
import io.nightjar.report.TrainingReport;
import io.nightjar.training.HoldoutDiagnostics;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code report}: writes the HTML reports of a model version under the environment's {@code
 * reports} directory: {@code <model>/v<N>/training.html} (tuning, importance, holdout, comparison
 * with production) and {@code <model>/v<N>/monitoring.html} (quality on delayed labels, drift, job
 * timings). Reads tables and the artifact only.
 */
public final class ReportJob {
  /** Where the reports of a version went. */
  public record Written(Path training, Path monitoring) {}

  private final JobContext context;

  public ReportJob(JobContext context) {
    this.context = context;
  }

  /** Writes both reports of {@code version} of {@code model}; null means the production version. */
  public Written run(String model, Integer version) {
    ModelVersion target = resolve(model, version);
    return new Written(writeTraining(target), writeMonitoring(target));
  }

  /** Writes the training report of {@code version} and returns its path. */
  public Path writeTraining(ModelVersion version) {
    ModelHistory history = context.registry().history(version.modelName());
    Integer production = history.production().orElse(null);
    Map<String, Double> productionHoldout =
        production == null || production == version.version()
            ? Map.of()
            : context.registry().require(version.modelName(), production).holdoutMetrics();
    HoldoutDiagnostics diagnostics =
        context
            .artifacts()
            .loadDocument(version, ArtifactStore.DIAGNOSTICS)
            .map(HoldoutDiagnostics::fromJson)
            .orElse(null);
    TrainingReport report =
        new TrainingReport(
            version.modelName(),
            version.version(),
            "classification".equals(version.task()),
            facts(version),
            version.cvMetric(),
            Choices.parse("cv_metric", version.cvMetric(), Metric.class).higherIsBetter(),
            trials(version),
            version.holdoutMetrics(),
            production,
            productionHoldout,
            decisions(history, version.version()),
            diagnostics,
            searchHistory(version));
    return report.render().write(directory(version).resolve("training.html"));
  }

  /** Writes the monitoring report of the model, as of {@code version}, and returns its path. */
  public Path writeMonitoring(ModelVersion version) {
    String model = version.modelName();
    ModelSpec spec = new SpecResolver(context).forExisting(model);
    MonitoringReport report =
        new MonitoringReport(
            model,
            version.version(),
            Choices.name(spec.tuning().metric()),
            metricPoints(model),
            driftPoints(model),
            spec.monitoring() == null
                ? MonitoringSpec.DEFAULT_PSI_ALERT
                : spec.monitoring().driftPsiAlert(),
            runPoints(model));
    return report.render().write(directory(version).resolve("monitoring.html"));
  }

  private ModelVersion resolve(String model, Integer version) {
    if (version != null) {
      return context.registry().require(model, version);
    }
    Optional<Integer> production = context.registry().history(model).production();
    if (production.isEmpty()) {
      context.registry().requireModel(model);
    }
    return context
        .registry()
        .require(model, production.orElse(context.registry().latestVersion(model)));
  }

  private Path directory(ModelVersion version) {
    return context.env().reportsDir().resolve(version.modelName()).resolve("v" + version.version());
  }

  private static Map<String, String> facts(ModelVersion v) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("trained", v.createdAt() + " by " + v.author() + " for " + v.logicalDate());
    facts.put(
        "model",
        v.family()
            + (v.engine() == null ? "" : " (" + v.engine() + ")")
            + ", loss "
            + v.loss()
            + (v.quantile() == null ? "" : " at quantile " + v.quantile()));
    facts.put("parameters", new TreeMap<>(v.params()).toString());
    facts.put("label", v.label() + (v.weightCol() == null ? "" : ", weighted by " + v.weightCol()));
    facts.put(
        "features",
        v.features().size()
            + ": "
            + String.join(", ", v.features())
            + (v.categorical().isEmpty()
                ? ""
                : " (categorical: " + String.join(", ", v.categorical()) + ")"));
    facts.put(
        "training data",
        v.trainingSource()
            + " at Delta version "
            + v.trainingDataVersion()
            + "; "
            + v.trainingRows()
            + " rows trained on, "
            + v.holdoutRows()
            + " held out");
    facts.put(
        "cross-validated " + v.cvMetric(), String.format("%.5g ± %.2g", v.cvMean(), v.cvStd()));
    facts.put(
        "seconds",
        String.format(
            "%.1f tuning, %.1f in all%s",
            v.tuningSeconds(),
            v.trainSeconds(),
            v.budgetExhausted() ? " (the tuning budget cut the search)" : ""));
    facts.put("packages", new TreeMap<>(v.packages()).toString());
    facts.put("artifact", v.artifactUri());
    facts.put("run", v.runId());
    return facts;
  }

  private List<TrainingReport.TrialResult> trials(ModelVersion version) {
    TableName table = new TableName(context.env().database(), TrialsTable.TABLE);
    List<TrainingReport.TrialResult> out = new ArrayList<>();
    if (!context.warehouse().exists(table)) {
      return out;
    }
    for (Row row :
        read(table)
            .where(col("run_id").equalTo(version.runId()))
            .orderBy("trial_id")
            .select("config_key", "mean", "std", "seconds", "status")
            .collectAsList()) {
      out.add(
          new TrainingReport.TrialResult(
              row.getString(0), orNaN(row, 1), orNaN(row, 2), row.getDouble(3), row.getString(4)));
    }
    return out;
  }

  /**
   * The finished trials of the version's run and of the model's earlier nights on the same metric,
   * earlier nights first, each in the order it was evaluated.
   */
  private List<TrainingReport.SearchPoint> searchHistory(ModelVersion version) {
    TableName table = new TableName(context.env().database(), TrialsTable.TABLE);
    List<TrainingReport.SearchPoint> out = new ArrayList<>();
    if (!context.warehouse().exists(table)) {
      return out;
    }
    Dataset<Row> done =
        read(table)
            .where(
                col("model_name")
                    .equalTo(version.modelName())
                    .and(col("metric").equalTo(version.cvMetric()))
                    .and(col("status").equalTo(TrialsTable.DONE))
                    .and(col("mean").isNotNull()));
    List<Row> own =
        done.where(col("run_id").equalTo(version.runId()))
            .select(max("logical_date"))
            .collectAsList();
    if (own.isEmpty() || own.get(0).isNullAt(0)) {
      return out;
    }
    Object night = own.get(0).get(0);
    for (Row row :
        done.where(col("run_id").equalTo(version.runId()).or(col("logical_date").lt(lit(night))))
            .orderBy(col("logical_date"), col("run_id"), col("trial_id"))
            .select("logical_date", "params", "mean", "run_id")
            .collectAsList()) {
      Map<String, Double> params = new TreeMap<>();
      Map<String, String> recorded = row.getJavaMap(1);
      recorded.forEach(
          (key, value) -> {
            try {
              params.put(key, Double.parseDouble(value));
            } catch (NumberFormatException e) {
              // A parameter that is not a number has no place on a numeric axis.
            }
          });
      out.add(
          new TrainingReport.SearchPoint(
              String.valueOf(row.get(0)),
              params,
              row.getDouble(2),
              !version.runId().equals(row.getString(3))));
    }
    return out;
  }

  private static List<TrainingReport.Decision> decisions(ModelHistory history, int version) {
    List<TrainingReport.Decision> out = new ArrayList<>();
    for (ModelEvent e : history.events()) {
      if (e.version() == version) {
        out.add(
            new TrainingReport.Decision(
                e.event(), String.valueOf(e.at()), e.actor(), e.reason(), e.metrics()));
      }
    }
    return out;
  }

  private List<MonitoringReport.MetricPoint> metricPoints(String model) {
    ModelMetricsTable table = new ModelMetricsTable(context.warehouse(), context.env().database());
    List<MonitoringReport.MetricPoint> out = new ArrayList<>();
    if (table.exists()) {
      for (Row r :
          table
              .ofModel(model)
              .where(col(ModelMetricsTable.VALUE).isNotNull())
              .select(
                  ModelMetricsTable.VERSION,
                  ModelMetricsTable.LOGICAL_DATE,
                  ModelMetricsTable.METRIC,
                  ModelMetricsTable.VALUE,
                  ModelMetricsTable.ROWS,
                  ModelMetricsTable.HOLDOUT_VALUE,
                  ModelMetricsTable.ALERT)
              .collectAsList()) {
        out.add(
            new MonitoringReport.MetricPoint(
                r.getInt(0),
                r.getDate(1).toLocalDate(),
                r.getString(2),
                r.getDouble(3),
                r.getLong(4),
                r.isNullAt(5) ? null : r.getDouble(5),
                r.getBoolean(6)));
      }
    }
    return out;
  }

  private List<MonitoringReport.DriftPoint> driftPoints(String model) {
    FeatureDriftTable table = new FeatureDriftTable(context.warehouse(), context.env().database());
    List<MonitoringReport.DriftPoint> out = new ArrayList<>();
    if (table.exists()) {
      for (Row r :
          table
              .ofModel(model)
              .select(
                  FeatureDriftTable.VERSION,
                  FeatureDriftTable.LOGICAL_DATE,
                  FeatureDriftTable.FEATURE,
                  FeatureDriftTable.PSI,
                  FeatureDriftTable.ALERT)
              .collectAsList()) {
        out.add(
            new MonitoringReport.DriftPoint(
                r.getInt(0),
                r.getDate(1).toLocalDate(),
                r.getString(2),
                r.getDouble(3),
                r.getBoolean(4)));
      }
    }
    return out;
  }

  private List<MonitoringReport.RunPoint> runPoints(String model) {
    RunLog runs = context.runs();
    List<MonitoringReport.RunPoint> out = new ArrayList<>();
    if (runs.exists()) {
      for (Row r :
          runs.ofModel(model)
              .select(
                  RunLog.JOB,
                  RunLog.LOGICAL_DATE,
                  RunLog.STARTED_AT,
                  RunLog.FINISHED_AT,
                  RunLog.STATUS,
                  RunLog.ERROR)
              .collectAsList()) {
        Timestamp started = r.getTimestamp(2);
        double seconds =
            r.isNullAt(3) ? Double.NaN : (r.getTimestamp(3).getTime() - started.getTime()) / 1000.0;
        out.add(
            new MonitoringReport.RunPoint(
                r.getString(0),
                r.isNullAt(1) ? null : r.getDate(1).toLocalDate(),
                seconds,
                r.getString(4),
                r.isNullAt(5) ? null : r.getString(5)));
      }
    }
    return out;
  }

  private static double orNaN(Row row, int index) {
    return row.isNullAt(index) ? Double.NaN : row.getDouble(index);
  }

  private Dataset<Row> read(TableName table) {
    return context.warehouse().read(table);
  }
}
