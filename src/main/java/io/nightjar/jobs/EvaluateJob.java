package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.nightjar.config.Choices;
import io.nightjar.config.ConfigException;
import io.nightjar.config.Identifiers;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.MonitoringSpec;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.data.DataException;
import io.nightjar.data.SourceReader;
import io.nightjar.data.SourceSnapshot;
import io.nightjar.data.TrainingFrame;
import io.nightjar.model.Metrics;
import io.nightjar.monitoring.Baseline;
import io.nightjar.monitoring.MonitoringTables;
import io.nightjar.monitoring.Run;
import io.nightjar.registry.ModelVersion;
import io.nightjar.spark.DeltaRetry;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code evaluate --model NAME --date D}: how the model did and what it saw on logical date D.
 *
 * <ul>
 *   <li>Quality on late labels: each label whose time falls on D is joined with the latest prediction for its entity
 *       scored before D (the prediction that was in effect when the outcome happened), and the metrics of each
 *       model version that made those predictions go to {@code model_metrics}. The spec's tuning metric raises an
 *       alert when it is worse than the version's holdout value by more than {@code monitoring.degradation_factor}.
 *   <li>Drift: the scoring input of D (at the Delta version that day's scores read) and D's predictions are compared
 *       with the distributions the version saw at training ({@code baseline.json} in its artifact); the PSI of each
 *       feature and of the predictions goes to {@code feature_drift}, with an alert above {@code
 *       monitoring.drift_psi_alert}.
 * </ul>
 *
 * Both tables are rewritten for (model, D) in one commit each, so a rerun replaces, never duplicates.
 */
public final class EvaluateJob {
  /** What the evaluation wrote. */
  public record Outcome(
      String model, LocalDate date, long labelledRows, List<Row> metrics, List<Row> drift, List<String> notes) {
    public long alerts() {
      return metrics.stream().filter(r -> r.getBoolean(r.fieldIndex("alert"))).count()
          + drift.stream().filter(r -> r.getBoolean(r.fieldIndex("alert"))).count();
    }
  }

  private final JobContext context;

  public EvaluateJob(JobContext context) {
    this.context = context;
  }

  public Outcome run(ModelSpec spec, LocalDate date) {
    MonitoringSpec monitoring = spec.monitoring();
    ConfigException.check(
        monitoring != null && monitoring.labels() != null,
        "Cannot evaluate model '%s': its spec has no 'monitoring.labels' source (where labels arrive later).",
        spec.name());
    ConfigException.check(
        spec.data().time() != null,
        "Cannot evaluate model '%s': 'data.time' is not set, so the labels' arrival dates are unknown; set it to the"
            + " time column of the labels.",
        spec.name());
    context.ensureTables();
    io.nightjar.registry.RegistryException.check(
        context.registry().latestVersion(spec.name()) > 0,
        "Unknown model '%s': it has no registered versions.", spec.name());
    Progress progress = new Progress(context.progress(), "evaluate", spec.name());
    Run run = context.runs().start("evaluate", spec.name(), date);
    try {
      List<String> notes = new ArrayList<>();
      TableName predictions = new TableName(context.env().database(), spec.requireScoring().output());
      boolean scored = context.warehouse().exists(predictions);
      if (!scored) {
        notes.add("no predictions yet in " + predictions);
      }
      Dataset<Row> table =
          scored
              ? context.spark().read().format("delta").load(context.warehouse().location(predictions))
                  .where(col("model_name").equalTo(spec.name()))
              : null;
      long[] labelled = {0};
      List<Row> metrics =
          run.stage("metrics", () -> scored ? metrics(spec, date, table, labelled, notes) : List.<Row>of(),
              r -> labelled[0]);
      List<Row> drift = run.stage("drift", () -> scored ? drift(spec, date, table, notes) : List.<Row>of(),
          r -> (long) r.size());
      run.stage("write", () -> {
        replace(MonitoringTables.MODEL_METRICS, MonitoringTables.MODEL_METRICS_SCHEMA, metrics, spec.name(), date);
        replace(MonitoringTables.FEATURE_DRIFT, MonitoringTables.FEATURE_DRIFT_SCHEMA, drift, spec.name(), date);
        return metrics.size() + drift.size();
      }, n -> (long) n);
      notes.forEach(note -> progress.say("%s", note));
      run.succeed();
      return new Outcome(spec.name(), date, labelled[0], metrics, drift, notes);
    } catch (Exception e) { // Spark throws checked exceptions undeclared: those too must end the run
      run.fail(e);
      throw e;
    }
  }

  private List<Row> metrics(ModelSpec spec, LocalDate date, Dataset<Row> table, long[] labelled, List<String> notes) {
    var data = spec.data();
    SourceSnapshot labels = new SourceReader(context.spark()).read("monitoring.labels", spec.monitoring().labels());
    List<String> columns = List.of(labels.rows().columns());
    for (String column : List.of(data.id(), data.label(), data.time())) {
      DataException.check(
          columns.contains(column),
          "Cannot evaluate model '%s': column '%s' is not in the labels (%s); its columns are: %s.",
          spec.name(), column, labels.description(), String.join(", ", columns));
    }
    Column label = col(q(data.label()));
    if (spec.task() == Task.CLASSIFICATION && data.positive() != null) {
      label = when(label.isNull(), lit(null)).otherwise(when(label.cast("string").equalTo(data.positive()), 1.0)
          .otherwise(0.0));
    }
    Dataset<Row> arrived =
        labels.rows()
            .where(to_date(col(q(data.time()))).equalTo(lit(Date.valueOf(date))))
            .select(col(q(data.id())).as("__id"), label.cast("double").as(Columns.LABEL))
            .where(col(Columns.LABEL).isNotNull().and(col(Columns.LABEL).isNaN().unary_$bang()))
            .withColumn("__label_row", org.apache.spark.sql.functions.monotonically_increasing_id());
    Dataset<Row> earlier = table.where(col("score_date").lt(lit(Date.valueOf(date))));
    Dataset<Row> joined =
        arrived
            .join(earlier, arrived.col("__id").equalTo(earlier.col(q(data.id()))))
            .withColumn(
                "__rank",
                row_number().over(Window.partitionBy("__label_row").orderBy(col("score_date").desc(),
                    col("scored_at").desc())))
            .where(col("__rank").equalTo(1))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Row> out = new ArrayList<>();
      Timestamp now = Timestamp.from(Instant.now());
      List<Integer> versions =
          joined.select("model_version").distinct().orderBy("model_version")
              .as(org.apache.spark.sql.Encoders.INT()).collectAsList();
      if (versions.isEmpty()) {
        notes.add("no label arrived on " + date + " for an entity scored before it");
      }
      for (int number : versions) {
        ModelVersion version = context.registry().require(spec.name(), number);
        Dataset<Row> rows = joined.where(col("model_version").equalTo(number));
        long count = rows.count();
        labelled[0] += count;
        List<Metric> wanted = new ArrayList<>(Metrics.standard(spec.task(), version.quantile()));
        if (!wanted.contains(spec.tuning().metric())) {
          wanted.add(spec.tuning().metric());
        }
        Map<Metric, Double> values = Metrics.compute(rows, wanted, false, version.quantile());
        for (Metric metric : wanted) {
          String name = Choices.name(metric);
          Double holdout = version.holdoutMetrics().get(name);
          double value = values.get(metric);
          boolean alert =
              metric == spec.tuning().metric()
                  && degraded(metric, value, holdout, spec.monitoring().degradationFactor());
          out.add(row(MonitoringTables.MODEL_METRICS_SCHEMA, spec.name(), number, Date.valueOf(date), name, value,
              count, now, holdout, alert));
          if (alert) {
            notes.add(String.format("ALERT: version %d %s %.5g on %d late labels, holdout was %.5g", number, name,
                value, count, holdout));
          }
        }
      }
      return out;
    } finally {
      joined.unpersist();
    }
  }

  /** True when {@code value} is worse than {@code holdout} by more than {@code factor}. */
  static boolean degraded(Metric metric, double value, Double holdout, double factor) {
    if (holdout == null || Double.isNaN(value)) {
      return false;
    }
    return metric.higherIsBetter() ? value < holdout / factor : value > holdout * factor;
  }

  private List<Row> drift(ModelSpec spec, LocalDate date, Dataset<Row> table, List<String> notes) {
    Dataset<Row> today = table.where(col("score_date").equalTo(lit(Date.valueOf(date))));
    List<Row> head = today.select("model_version", "input_version").limit(1).collectAsList();
    if (head.isEmpty()) {
      notes.add("no predictions for " + date + ": no drift to measure");
      return List.of();
    }
    int number = head.get(0).getInt(0);
    Long inputVersion = head.get(0).isNullAt(1) ? null : head.get(0).getLong(1);
    ModelVersion version = context.registry().require(spec.name(), number);
    var stored = context.artifacts().loadDocument(version, io.nightjar.registry.ArtifactStore.BASELINE);
    if (stored.isEmpty()) {
      notes.add("version " + number + " has no training baseline (trained before baselines existed): no drift");
      return List.of();
    }
    Baseline baseline = Baseline.fromJson(stored.get());
    SourceSnapshot input =
        new SourceReader(context.spark()).read("scoring.input", spec.requireScoring().input(), inputVersion);
    Dataset<Row> features = TrainingFrame.withModelTypes(input.rows(), version.features());
    List<Row> out = new ArrayList<>();
    double threshold = spec.monitoring().driftPsiAlert();
    baseline.featurePsi(features).forEach((feature, psi) -> out.add(
        row(MonitoringTables.FEATURE_DRIFT_SCHEMA, spec.name(), number, Date.valueOf(date), feature, psi,
            psi > threshold)));
    double predictionPsi = baseline.predictionPsi(today);
    out.add(row(MonitoringTables.FEATURE_DRIFT_SCHEMA, spec.name(), number, Date.valueOf(date),
        MonitoringTables.PREDICTION_FEATURE, predictionPsi, predictionPsi > threshold));
    out.stream().filter(r -> r.getBoolean(5)).forEach(r -> notes.add(
        String.format("ALERT: %s drifted, PSI %.3f > %.3g", r.getString(3), r.getDouble(4), threshold)));
    return out;
  }

  /** Replaces {@code model}'s rows of {@code date} in {@code name} with {@code rows}, in one commit. */
  private void replace(String name, org.apache.spark.sql.types.StructType schema, List<Row> rows, String model,
      LocalDate date) {
    TableName table = new TableName(context.env().database(), name);
    context.warehouse().ensureTable(table, schema, List.of());
    String predicate =
        "logical_date = DATE " + Identifiers.literal(date.toString()) + " AND model_name = "
            + Identifiers.literal(model);
    Dataset<Row> frame = context.spark().createDataFrame(rows, schema);
    DeltaRetry.run(
        "write " + table + " for " + model + " on " + date,
        () -> frame.write().format("delta").mode("overwrite").option("replaceWhere", predicate)
            .save(context.warehouse().location(table)));
  }

  /** A row that knows its schema, so callers can read it by column name. */
  private static Row row(org.apache.spark.sql.types.StructType schema, Object... values) {
    return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(values, schema);
  }

  private static String q(String column) {
    return Identifiers.quote(column);
  }
}
