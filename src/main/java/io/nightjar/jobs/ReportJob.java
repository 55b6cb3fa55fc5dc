package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;

import io.nightjar.config.Choices;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.MonitoringSpec;
import io.nightjar.config.Task;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.RunLog;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.ArtifactStore;
import io.nightjar.registry.Evaluation;
import io.nightjar.registry.FeatureSchema;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.PastTrial;
import io.nightjar.registry.Provenance;
import io.nightjar.registry.Recipe;
import io.nightjar.registry.SearchHistoryTrial;
import io.nightjar.registry.TrainingCost;
import io.nightjar.registry.TrainingData;
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
import java.util.function.Function;
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
            : context
                .registry()
                .require(version.modelName(), production)
                .evaluation()
                .holdoutMetrics();
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
            version.recipe().task() == Task.CLASSIFICATION,
            facts(version),
            version.evaluation().cvMetric(),
            trials(version),
            version.evaluation().holdoutMetrics(),
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
    Provenance provenance = v.provenance();
    Recipe recipe = v.recipe();
    FeatureSchema schema = v.schema();
    TrainingData data = v.trainingData();
    Evaluation evaluation = v.evaluation();
    TrainingCost cost = v.cost();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(
        "trained",
        provenance.createdAt() + " by " + provenance.author() + " for " + provenance.logicalDate());
    facts.put(
        "model",
        Choices.name(recipe.family())
            + (recipe.engine() == null ? "" : " (" + Choices.name(recipe.engine()) + ")")
            + ", loss "
            + Choices.name(recipe.loss())
            + (recipe.quantile() == null ? "" : " at quantile " + recipe.quantile()));
    facts.put("parameters", new TreeMap<>(recipe.params()).toString());
    facts.put(
        "label",
        schema.label() + (schema.weightCol() == null ? "" : ", weighted by " + schema.weightCol()));
    facts.put(
        "features",
        schema.features().size()
            + ": "
            + String.join(", ", schema.features())
            + (schema.categorical().isEmpty()
                ? ""
                : " (categorical: " + String.join(", ", schema.categorical()) + ")"));
    facts.put(
        "training data",
        data.source()
            + " at Delta version "
            + data.deltaVersion()
            + "; "
            + data.rows()
            + " rows trained on, "
            + data.holdoutRows()
            + " held out");
    facts.put(
        "cross-validated " + Choices.name(evaluation.cvMetric()),
        String.format("%.5g ± %.2g", evaluation.cvMean(), evaluation.cvStd()));
    facts.put(
        "seconds",
        String.format(
            "%.1f tuning, %.1f in all%s",
            cost.tuningSeconds(),
            cost.trainSeconds(),
            cost.budgetExhausted() ? " (the tuning budget cut the search)" : ""));
    facts.put("packages", new TreeMap<>(v.artifact().packages()).toString());
    facts.put("artifact", v.artifact().uri());
    facts.put("run", provenance.runId());
    return facts;
  }

  private List<TrainingReport.TrialResult> trials(ModelVersion version) {
    List<TrainingReport.TrialResult> out = new ArrayList<>();
    for (PastTrial trial : context.trials().ofRun(version.provenance().runId())) {
      out.add(
          new TrainingReport.TrialResult(
              trial.configKey(), trial.mean(), trial.std(), trial.seconds(), trial.status()));
    }
    return out;
  }

  /**
   * The finished trials of the version's run and of the model's earlier nights on the same metric,
   * earlier nights first, each in the order it was evaluated.
   */
  private List<TrainingReport.SearchPoint> searchHistory(ModelVersion version) {
    List<TrainingReport.SearchPoint> out = new ArrayList<>();
    for (SearchHistoryTrial trial :
        context
            .trials()
            .searchHistory(
                version.modelName(),
                version.evaluation().cvMetric(),
                version.provenance().runId())) {
      Map<String, Double> params = new TreeMap<>();
      trial
          .params()
          .forEach(
              (key, value) -> {
                try {
                  params.put(key, Double.parseDouble(value));
                } catch (NumberFormatException e) {
                  // A parameter that is not a number has no place on a numeric axis.
                }
              });
      out.add(
          new TrainingReport.SearchPoint(
              trial.logicalDate().toString(), params, trial.mean(), trial.earlier()));
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
    Dataset<Row> rows =
        new ModelMetricsTable(context.warehouse(), context.env().database())
            .ofModel(model)
            .where(col(ModelMetricsTable.VALUE).isNotNull())
            .select(
                ModelMetricsTable.VERSION,
                ModelMetricsTable.LOGICAL_DATE,
                ModelMetricsTable.METRIC,
                ModelMetricsTable.VALUE,
                ModelMetricsTable.ROWS,
                ModelMetricsTable.HOLDOUT_VALUE,
                ModelMetricsTable.ALERT);
    return points(
        rows,
        r ->
            new MonitoringReport.MetricPoint(
                r.getInt(0),
                r.getDate(1).toLocalDate(),
                r.getString(2),
                r.getDouble(3),
                r.getLong(4),
                r.isNullAt(5) ? null : r.getDouble(5),
                r.getBoolean(6)));
  }

  private List<MonitoringReport.DriftPoint> driftPoints(String model) {
    Dataset<Row> rows =
        new FeatureDriftTable(context.warehouse(), context.env().database())
            .ofModel(model)
            .select(
                FeatureDriftTable.VERSION,
                FeatureDriftTable.LOGICAL_DATE,
                FeatureDriftTable.FEATURE,
                FeatureDriftTable.PSI,
                FeatureDriftTable.ALERT);
    return points(
        rows,
        r ->
            new MonitoringReport.DriftPoint(
                r.getInt(0),
                r.getDate(1).toLocalDate(),
                r.getString(2),
                r.getDouble(3),
                r.getBoolean(4)));
  }

  private List<MonitoringReport.RunPoint> runPoints(String model) {
    Dataset<Row> rows =
        context
            .runs()
            .ofModel(model)
            .select(
                RunLog.JOB,
                RunLog.LOGICAL_DATE,
                RunLog.STARTED_AT,
                RunLog.FINISHED_AT,
                RunLog.STATUS,
                RunLog.ERROR);
    return points(rows, ReportJob::runPoint);
  }

  private static MonitoringReport.RunPoint runPoint(Row r) {
    Timestamp started = r.getTimestamp(2);
    double seconds =
        r.isNullAt(3) ? Double.NaN : (r.getTimestamp(3).getTime() - started.getTime()) / 1000.0;
    return new MonitoringReport.RunPoint(
        r.getString(0),
        r.isNullAt(1) ? null : r.getDate(1).toLocalDate(),
        seconds,
        RunStatus.fromSql(r.getString(4)),
        r.isNullAt(5) ? null : r.getString(5));
  }

  /** A chart's points, one per row of {@code rows}; none when the table does not exist yet. */
  private static <T> List<T> points(Dataset<Row> rows, Function<Row, T> point) {
    return rows.collectAsList().stream().map(point).toList();
  }
}
