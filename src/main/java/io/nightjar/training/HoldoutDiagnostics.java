package io.nightjar.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightjar.config.Choices;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.data.Splits;
import io.nightjar.data.TrainingFrame;
import io.nightjar.model.Metrics;
import io.nightjar.model.Predictions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * What a report shows about a trained version on rows it never saw: a sample of its holdout labels
 * and predictions (for residuals, ROC and calibration charts) and the permutation importance of
 * each feature, measured on that sample. Stored as {@code diagnostics.json} in the version's
 * artifact.
 *
 * <p>Permutation importance (how much the spec's metric worsens when one feature's values are
 * shuffled among the rows) is used rather than each engine's own importance because it means the
 * same for every family, engine and loss, and it speaks in the unit people tune by.
 *
 * @param probabilities P(label = 1) per row for classification, empty for regression
 * @param importance feature → worsening of {@code metric} when that feature is shuffled (≤ 0: the
 *     model does not rely on it), in feature order
 */
public record HoldoutDiagnostics(
    double[] labels,
    double[] predictions,
    double[] probabilities,
    String metric,
    Map<String, Double> importance) {
  /**
   * Holdout rows kept for charts and importance: enough for smooth curves, small enough to score
   * 20+ times.
   */
  public static final int SAMPLE_ROWS = 2000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SHUFFLED = "__shuffled";

  /**
   * Measures {@code model} on (a sample of) the holdout of {@code frame}, the same rows {@link
   * Trainer} held out.
   */
  public static HoldoutDiagnostics measure(
      ModelSpec spec, TrainingFrame frame, PipelineModel model, Metric metric, Double quantile) {
    var tuning = spec.tuning();
    Dataset<Row> holdout = Splits.of(spec, frame.rows()).holdout();
    List<Row> sample = holdout.orderBy(rand(tuning.seed())).limit(SAMPLE_ROWS).collectAsList();
    List<String> features = frame.features();
    Dataset<Row> all =
        permutedCopies(holdout.sparkSession(), holdout.schema(), sample, features, tuning.seed());
    Dataset<Row> scored =
        Predictions.predict(model, spec.task(), all).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      boolean weighted = spec.data().weight() != null;
      Dataset<Row> original = scored.where(col(SHUFFLED).equalTo(lit("")));
      Map<String, Map<Metric, Double>> byCopy =
          Metrics.computeByGroup(scored, SHUFFLED, List.of(metric), weighted, quantile);
      double reference = byCopy.get("").get(metric);
      Map<String, Double> importance = new LinkedHashMap<>();
      for (String feature : features) {
        double shuffled = byCopy.get(feature).get(metric);
        importance.put(feature, metric.improvement(reference, shuffled));
      }
      boolean classification = spec.task() == Task.CLASSIFICATION;
      List<Row> points =
          original
              .select(
                  col(Columns.LABEL).cast("double"),
                  col(Columns.PREDICTION),
                  classification ? col(Columns.PROBABILITY) : lit(0.0))
              .collectAsList();
      double[] labels = new double[points.size()];
      double[] predictions = new double[points.size()];
      double[] probabilities = new double[classification ? points.size() : 0];
      for (int i = 0; i < points.size(); i++) {
        labels[i] = points.get(i).getDouble(0);
        predictions[i] = points.get(i).getDouble(1);
        if (classification) {
          probabilities[i] = points.get(i).getDouble(2);
        }
      }
      return new HoldoutDiagnostics(
          labels, predictions, probabilities, Choices.name(metric), importance);
    } finally {
      scored.unpersist();
    }
  }

  /**
   * One frame that holds {@code sample} as it is (tag "") and once per feature with that feature's
   * values shuffled among the rows (tag: the feature), so that one scoring job measures them all.
   * The sample and the permutations reach the executors once, as broadcasts, and the tasks build
   * the copies: a frame made from a local list of rows would carry all copies (21 x 2,000 rows for
   * the demo, about 20 MB) inside its tasks.
   */
  static Dataset<Row> permutedCopies(
      SparkSession spark, StructType schema, List<Row> sample, List<String> features, long seed) {
    int n = sample.size();
    Object[][] values = new Object[n][];
    for (int r = 0; r < n; r++) {
      values[r] = new Object[schema.size()];
      for (int c = 0; c < schema.size(); c++) {
        values[r][c] = sample.get(r).get(c);
      }
    }
    // Shuffling the row indices with the same generator gives the permutation that shuffling the
    // values would.
    Random random = new Random(seed);
    int[][] permutations = new int[features.size()][];
    int[] columns = new int[features.size()];
    for (int f = 0; f < features.size(); f++) {
      List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
      Collections.shuffle(order, random);
      permutations[f] = order.stream().mapToInt(Integer::intValue).toArray();
      columns[f] = schema.fieldIndex(features.get(f));
    }
    String[] tags = features.toArray(String[]::new);
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // The returned frame reads these lazily, so they are not destroyed here; Spark's cleaner
    // removes them once the frame is unreachable.
    Broadcast<Object[][]> rows = context.broadcast(values);
    Broadcast<int[][]> shuffles = context.broadcast(permutations);
    List<Integer> copies = IntStream.rangeClosed(0, tags.length).boxed().toList();
    JavaRDD<Row> out =
        context
            .parallelize(copies, Math.min(copies.size(), context.defaultParallelism()))
            .flatMap(
                copy ->
                    copy(
                            rows.value(),
                            copy == 0 ? null : shuffles.value()[copy - 1],
                            copy == 0 ? -1 : columns[copy - 1],
                            copy == 0 ? "" : tags[copy - 1])
                        .iterator());
    return spark.createDataFrame(out, schema.add(SHUFFLED, "string"));
  }

  /**
   * The rows with column {@code column}'s values taken from the rows {@code permutation} names,
   * tagged.
   */
  private static List<Row> copy(Object[][] rows, int[] permutation, int column, String tag) {
    List<Row> out = new ArrayList<>(rows.length);
    for (int r = 0; r < rows.length; r++) {
      Object[] values = Arrays.copyOf(rows[r], rows[r].length + 1);
      if (permutation != null) {
        values[column] = rows[permutation[r]][column];
      }
      values[rows[r].length] = tag;
      out.add(RowFactory.create(values));
    }
    return out;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write holdout diagnostics as JSON", e);
    }
  }

  public static HoldoutDiagnostics fromJson(String json) {
    try {
      return JSON.readValue(json, HoldoutDiagnostics.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "Cannot read holdout diagnostics: " + e.getOriginalMessage(), e);
    }
  }
}
