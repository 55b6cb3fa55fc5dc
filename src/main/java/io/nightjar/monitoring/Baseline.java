package io.nightjar.monitoring;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a model version saw at training time, to compare later inputs with: the distribution of each
 * feature over the training rows and of the model's predictions over the same rows (a seeded sample
 * of {@link #SAMPLE_ROWS} above that many). Stored as {@code baseline.json} in the version's
 * artifact directory.
 */
public record Baseline(List<Distribution> features, Distribution prediction) {
  /** Deciles: nine edges, ten bins (plus the missing-value bin). */
  static final double[] DECILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

  /**
   * Training rows a baseline is measured on, at most (a seeded sample above it). A share of 0.1
   * measured on a million rows has a standard error of 0.0003, which moves PSI by far less than its
   * alert levels (0.1, 0.2) can tell; the full pass cost 103 s of a 481 s train at 10M rows.
   */
  public static final long SAMPLE_ROWS = 1_000_000L;

  /**
   * Relative rank error of the decile edges: 1% of the rows either side of a decile, far inside
   * what PSI can tell apart, and a fraction of the cost of 0.1% (the quantile summaries Spark keeps
   * and merges shrink with it).
   */
  static final double EDGE_ERROR = 0.01;

  /** Categorical features keep their most frequent levels as bins; the rest share one bin. */
  static final int MAX_LEVELS = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  public Baseline {
    features = List.copyOf(features);
  }

  /**
   * Measures {@code features} over {@code rows} and {@code predictionColumn} over {@code scored}.
   *
   * @param categorical the features whose values are levels rather than numbers
   */
  public static Baseline measure(
      Dataset<Row> rows,
      List<String> features,
      List<String> categorical,
      Dataset<Row> scored,
      String predictionColumn) {
    List<String> numeric = features.stream().filter(f -> !categorical.contains(f)).toList();
    double[][] edges =
        numeric.isEmpty()
            ? new double[0][]
            : rows.select(
                    numeric.stream()
                        .map(f -> col(quoted(f)).cast("double").as(f))
                        .toArray(Column[]::new))
                .stat()
                .approxQuantile(numeric.toArray(String[]::new), DECILES, EDGE_ERROR);
    List<Distribution> bins = new ArrayList<>();
    for (String feature : features) {
      int index = numeric.indexOf(feature);
      bins.add(
          index >= 0
              ? Distribution.numeric(feature, edges[index])
              : Distribution.categorical(feature, topLevels(rows, feature)));
    }
    double[] predictionEdges =
        scored.stat().approxQuantile(new String[] {predictionColumn}, DECILES, EDGE_ERROR)[0];
    Distribution prediction =
        Distribution.measure(
                List.of(Distribution.numeric(predictionColumn, predictionEdges)), scored)
            .get(0);
    return new Baseline(Distribution.measure(bins, rows), prediction);
  }

  private static List<String> topLevels(Dataset<Row> rows, String feature) {
    List<String> levels = new ArrayList<>();
    for (Row row :
        rows.where(col(quoted(feature)).isNotNull())
            .groupBy(col(quoted(feature)).cast("string").as("level"))
            .count()
            .orderBy(col("count").desc(), col("level"))
            .limit(MAX_LEVELS)
            .collectAsList()) {
      levels.add(row.getString(0));
    }
    return levels;
  }

  /** The PSI of each feature of {@code rows} against this baseline, in feature order. */
  public Map<String, Double> featurePsi(Dataset<Row> rows) {
    List<Distribution> actual = Distribution.measure(features, rows);
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < features.size(); i++) {
      out.put(features.get(i).column(), features.get(i).psi(actual.get(i)));
    }
    return out;
  }

  /**
   * The PSI of the predictions in {@code scored} (column {@link #prediction()}'s name) against this
   * baseline.
   */
  public double predictionPsi(Dataset<Row> scored) {
    return prediction.psi(Distribution.measure(List.of(prediction), scored).get(0));
  }

  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the baseline as JSON", e);
    }
  }

  public static Baseline fromJson(String json) {
    try {
      return JSON.readValue(json, Baseline.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read a baseline: " + e.getOriginalMessage(), e);
    }
  }

  private static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
