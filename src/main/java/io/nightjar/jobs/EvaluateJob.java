package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
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
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.LateLabels;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.Run;
import io.nightjar.registry.ArtifactStore;
import io.nightjar.registry.ModelVersion;
import io.nightjar.scoring.PredictionTable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code evaluate --model NAME --date D}: how the model did and what it saw on logical date D.
 *
 * <ul>
 *   <li>Quality on late labels: each label whose time falls on D is joined with the latest
 *       prediction for its entity scored before D (the prediction that was in effect when the
 *       outcome happened), and the metrics of each model version that made those predictions go to
 *       {@code model_metrics}. The spec's tuning metric raises an alert when it is worse than the
 *       version's holdout value by more than {@code monitoring.degradation_factor}.
 *   <li>Drift: the scoring input of D (at the Delta version that day's scores read) and D's
 *       predictions are compared with the distributions the version saw at training ({@code
 *       baseline.json} in its artifact); the PSI of each feature and of the predictions goes to
 *       {@code feature_drift}, with an alert above {@code monitoring.drift_psi_alert}.
 * </ul>
 *
 * Both tables are rewritten for (model, D) in one commit each, so a rerun replaces, never
 * duplicates.
 */
public final class EvaluateJob {
  /** What the evaluation wrote. */
  public record Outcome(
      String model,
      LocalDate date,
      long labelledRows,
      List<Row> metrics,
      List<Row> drift,
      List<String> notes) {
    public long alerts() {
      return metrics.stream()
              .filter(r -> r.getBoolean(r.fieldIndex(ModelMetricsTable.ALERT)))
              .count()
          + drift.stream().filter(r -> r.getBoolean(r.fieldIndex(FeatureDriftTable.ALERT))).count();
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
    context.registry().requireModel(spec.name());
    Progress progress = new Progress(context.progress(), "evaluate", spec.name());
    return context.inRun("evaluate", spec.name(), date, run -> evaluate(spec, date, progress, run));
  }

  private Outcome evaluate(ModelSpec spec, LocalDate date, Progress progress, Run run) {
    List<String> notes = new ArrayList<>();
    TableName predictions = new TableName(context.env().database(), spec.requireScoring().output());
    boolean scored = context.warehouse().exists(predictions);
    if (!scored) {
      notes.add("no predictions yet in " + predictions);
    }
    Dataset<Row> table =
        scored ? PredictionTable.ofModel(context.warehouse().read(predictions), spec.name()) : null;
    long[] labelled = {0};
    List<Row> metrics =
        run.stage(
            "metrics",
            () -> scored ? metrics(spec, date, table, labelled, notes) : List.<Row>of(),
            r -> labelled[0]);
    List<Row> drift =
        run.stage(
            "drift",
            () -> scored ? drift(spec, date, table, notes) : List.<Row>of(),
            r -> (long) r.size());
    run.stage(
        "write",
        () -> {
          new ModelMetricsTable(context.warehouse(), context.env().database())
              .replace(spec.name(), date, metrics);
          new FeatureDriftTable(context.warehouse(), context.env().database())
              .replace(spec.name(), date, drift);
          return metrics.size() + drift.size();
        },
        n -> (long) n);
    notes.forEach(note -> progress.say("%s", note));
    return new Outcome(spec.name(), date, labelled[0], metrics, drift, notes);
  }

  private List<Row> metrics(
      ModelSpec spec, LocalDate date, Dataset<Row> table, long[] labelled, List<String> notes) {
    var data = spec.data();
    SourceSnapshot labels =
        new SourceReader(context.spark()).read("monitoring.labels", spec.monitoring().labels());
    List<String> columns = List.of(labels.rows().columns());
    for (String column : List.of(data.id(), data.label(), data.time())) {
      DataException.check(
          columns.contains(column),
          "Cannot evaluate model '%s': column '%s' is not in the labels (%s); its columns are: %s.",
          spec.name(),
          column,
          labels.description(),
          String.join(", ", columns));
    }
    Column label = col(q(data.label()));
    if (spec.task() == Task.CLASSIFICATION && data.positive() != null) {
      label =
          when(label.isNull(), lit(null))
              .otherwise(when(label.cast("string").equalTo(data.positive()), 1.0).otherwise(0.0));
    }
    Dataset<Row> arrived =
        labels
            .rows()
            .where(to_date(col(q(data.time()))).equalTo(lit(Date.valueOf(date))))
            .select(col(q(data.id())).as(LateLabels.ID), label.cast("double").as(Columns.LABEL))
            .where(col(Columns.LABEL).isNotNull().and(col(Columns.LABEL).isNaN().unary_$bang()));
    Dataset<Row> earlier = table.where(col(PredictionTable.SCORE_DATE).lt(lit(Date.valueOf(date))));
    Dataset<Row> joined =
        LateLabels.withPredictionInEffect(
                arrived, earlier, q(data.id()), PredictionTable.newestFirst())
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Row> out = new ArrayList<>();
      Timestamp now = Timestamp.from(Instant.now());
      List<Integer> versions =
          joined
              .select(PredictionTable.MODEL_VERSION)
              .distinct()
              .orderBy(PredictionTable.MODEL_VERSION)
              .as(Encoders.INT())
              .collectAsList();
      if (versions.isEmpty()) {
        notes.add("no label arrived on " + date + " for an entity scored before it");
      }
      for (int number : versions) {
        ModelVersion version = context.registry().require(spec.name(), number);
        Dataset<Row> rows = joined.where(col(PredictionTable.MODEL_VERSION).equalTo(number));
        long count = rows.count();
        labelled[0] += count;
        List<Metric> wanted =
            new ArrayList<>(Metrics.standard(spec.task(), version.recipe().quantile()));
        if (!wanted.contains(spec.tuning().metric())) {
          wanted.add(spec.tuning().metric());
        }
        Map<Metric, Double> values =
            Metrics.compute(rows, wanted, false, version.recipe().quantile());
        for (Metric metric : wanted) {
          String name = Choices.name(metric);
          Double holdout = version.evaluation().holdoutMetrics().get(name);
          double value = values.get(metric);
          boolean alert =
              metric == spec.tuning().metric()
                  && LateLabels.degraded(
                      metric, value, holdout, spec.monitoring().degradationFactor());
          out.add(
              ModelMetricsTable.row(
                  spec.name(), number, date, name, value, count, now, holdout, alert));
          if (alert) {
            notes.add(
                String.format(
                    "ALERT: version %d %s %.5g on %d late labels, holdout was %.5g",
                    number, name, value, count, holdout));
          }
        }
      }
      return out;
    } finally {
      joined.unpersist();
    }
  }

  private List<Row> drift(ModelSpec spec, LocalDate date, Dataset<Row> table, List<String> notes) {
    Dataset<Row> today =
        table.where(col(PredictionTable.SCORE_DATE).equalTo(lit(Date.valueOf(date))));
    List<Row> head =
        today
            .select(PredictionTable.MODEL_VERSION, PredictionTable.INPUT_VERSION)
            .limit(1)
            .collectAsList();
    if (head.isEmpty()) {
      notes.add("no predictions for " + date + ": no drift to measure");
      return List.of();
    }
    int number = head.get(0).getInt(0);
    Long inputVersion = head.get(0).isNullAt(1) ? null : head.get(0).getLong(1);
    ModelVersion version = context.registry().require(spec.name(), number);
    var stored = context.artifacts().loadDocument(version, ArtifactStore.BASELINE);
    if (stored.isEmpty()) {
      notes.add(
          "version "
              + number
              + " has no training baseline (trained before baselines existed): no drift");
      return List.of();
    }
    Baseline baseline = Baseline.fromJson(stored.get());
    SourceSnapshot input =
        new SourceReader(context.spark())
            .read("scoring.input", spec.requireScoring().input(), inputVersion);
    Dataset<Row> features = TrainingFrame.withModelTypes(input.rows(), version.schema().features());
    List<Row> out = new ArrayList<>();
    double threshold = spec.monitoring().driftPsiAlert();
    baseline
        .featurePsi(features)
        .forEach(
            (feature, psi) ->
                out.add(
                    FeatureDriftTable.row(
                        spec.name(), number, date, feature, psi, psi > threshold)));
    double predictionPsi = baseline.predictionPsi(today);
    out.add(
        FeatureDriftTable.row(
            spec.name(),
            number,
            date,
            FeatureDriftTable.PREDICTION_FEATURE,
            predictionPsi,
            predictionPsi > threshold));
    out.stream()
        .filter(r -> r.<Boolean>getAs(FeatureDriftTable.ALERT))
        .forEach(
            r ->
                notes.add(
                    String.format(
                        "ALERT: %s drifted, PSI %.3f > %.3g",
                        r.<String>getAs(FeatureDriftTable.FEATURE),
                        r.<Double>getAs(FeatureDriftTable.PSI),
                        threshold)));
    return out;
  }

  private static String q(String column) {
    return Identifiers.quote(column);
  }
}
