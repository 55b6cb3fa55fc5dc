package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;

import io.nightjar.config.Choices;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.data.SourceReader;
import io.nightjar.data.SourceSnapshot;
import io.nightjar.data.Splits;
import io.nightjar.data.TrainingFrame;
import io.nightjar.model.Metrics;
import io.nightjar.model.Predictions;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.RegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The promotion gate: scores the candidate and the production version on the candidate's holdout
 * rows (the training data at the Delta version the candidate was trained on, split as its training
 * split it) and compares them with the candidate spec's tuning metric. The candidate passes when
 * its relative gain is positive and at least {@code promotion.min_improvement}.
 */
final class PromotionGate {
  /**
   * Both versions' metric on the same rows, and the candidate's relative gain (positive: candidate
   * better).
   */
  record Comparison(
      Metric metric,
      double candidate,
      double production,
      double improvement,
      long rows,
      double minImprovement) {
    boolean passes() {
      return improvement > 0 && improvement >= minImprovement;
    }

    /** The metrics the decision is recorded with in {@code model_events}. */
    Map<String, Double> asMetrics() {
      String name = Choices.name(metric);
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("candidate_" + name, candidate);
      out.put("production_" + name, production);
      out.put("improvement", improvement);
      out.put("min_improvement", minImprovement);
      out.put("rows", (double) rows);
      return out;
    }

    String describe() {
      return String.format(
          "%s %.5g vs production %.5g on %d holdout rows (gain %+.2f%%, needs > 0 and ≥ %.2f%%)",
          Choices.name(metric),
          candidate,
          production,
          rows,
          100 * improvement,
          100 * minImprovement);
    }
  }

  private final JobContext context;

  PromotionGate(JobContext context) {
    this.context = context;
  }

  Comparison compare(ModelVersion candidate, ModelVersion production) {
    ModelSpec spec =
        SpecLoader.parse(
            candidate.artifact().specYaml(),
            "model "
                + candidate.modelName()
                + " version "
                + candidate.version()
                + " (recorded spec)",
            context.env().database());
    Task task = spec.task();
    RegistryException.check(
        task == production.recipe().task(),
        "Cannot compare model '%s' version %d with production version %d: one is for %s, the other for %s;"
            + " promote explicitly with --version.",
        candidate.modelName(),
        candidate.version(),
        production.version(),
        Choices.name(candidate.recipe().task()),
        Choices.name(production.recipe().task()));
    SourceSnapshot source =
        new SourceReader(context.spark())
            .read("data.training", spec.data().training(), candidate.trainingData().deltaVersion());
    Dataset<Row> rows = holdout(spec, source.rows(), candidate, production);
    rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      boolean weighted = spec.data().weight() != null;
      Metric metric = spec.tuning().metric();
      Double quantile = candidate.recipe().quantile();
      double mine = metric(candidate, task, rows, metric, weighted, quantile);
      double theirs = metric(production, task, rows, metric, weighted, quantile);
      return new Comparison(
          metric, mine, theirs, gain(metric, mine, theirs), rows.count(), spec.minImprovement());
    } finally {
      rows.unpersist();
    }
  }

  /**
   * The candidate's holdout rows with every raw column, so that a production version trained on
   * other features can score them too, plus the label (and weight) columns as training prepared
   * them.
   */
  private static Dataset<Row> holdout(
      ModelSpec spec, Dataset<Row> raw, ModelVersion candidate, ModelVersion production) {
    Set<String> columns = Set.of(raw.columns());
    Set<String> features = new LinkedHashSet<>(candidate.schema().features());
    features.addAll(production.schema().features());
    for (String feature : production.schema().features()) {
      RegistryException.check(
          columns.contains(feature),
          "Cannot compare model '%s' version %d with production version %d: production's feature '%s' is not in"
              + " the candidate's training data (%s); promote explicitly with --version.",
          candidate.modelName(),
          candidate.version(),
          production.version(),
          feature,
          candidate.trainingData().source());
    }
    // The candidate's training checked these rows at this Delta version; checking them again would
    // cost two Spark jobs over the whole table.
    Dataset<Row> shaped = TrainingFrame.shapeChecked(spec, raw);
    Dataset<Row> held = Splits.of(spec, shaped).holdout();
    List<String> keep = new ArrayList<>(List.of(spec.data().id(), Columns.LABEL));
    if (spec.data().weight() != null) {
      keep.add(Columns.WEIGHT);
    }
    Dataset<Row> labelled =
        raw.join(
            held.select(keep.stream().map(c -> col(c)).toArray(Column[]::new)), spec.data().id());
    return TrainingFrame.withModelTypes(labelled, List.copyOf(features));
  }

  private double metric(
      ModelVersion version,
      Task task,
      Dataset<Row> rows,
      Metric metric,
      boolean weighted,
      Double quantile) {
    Dataset<Row> scored = Predictions.predict(context.artifacts().load(version), task, rows);
    return Metrics.compute(scored, metric, weighted, quantile);
  }

  /**
   * Relative gain of {@code candidate} over {@code production}: positive when the candidate is
   * better.
   */
  static double gain(Metric metric, double candidate, double production) {
    double better = metric.improvement(candidate, production);
    if (production == 0.0) {
      return better == 0.0 ? 0.0 : Math.copySign(Double.POSITIVE_INFINITY, better);
    }
    return better / Math.abs(production);
  }
}
