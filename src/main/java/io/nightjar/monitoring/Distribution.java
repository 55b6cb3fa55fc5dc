package io.nightjar.monitoring;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * The distribution of one column over bins: for numbers, the bins between {@code edges} (the
 * training data's deciles; below the first edge is bin 0, at or above the last is the last bin);
 * for categories, one bin per {@code levels} entry plus one for every other level. Both have a last
 * bin for missing values (null, NaN). {@code shares} sum to 1.
 *
 * <p>Kept as a plain record so that it serialises to the artifact's {@code baseline.json} with
 * Jackson.
 */
public record Distribution(
    String column, List<Double> edges, List<String> levels, List<Double> shares) {
  /**
   * PSI terms use at least this share, so an empty bin on one side gives a large but finite term.
   */
  static final double FLOOR = 1e-4;

  public Distribution {
    edges = edges == null ? null : List.copyOf(edges);
    levels = levels == null ? null : List.copyOf(levels);
    shares = List.copyOf(shares);
  }

  boolean categorical() {
    return levels != null;
  }

  int bins() {
    return categorical() ? levels.size() + 2 : edges.size() + 2;
  }

  /** Numeric bins from {@code edges} (ascending; duplicates dropped), shares not measured yet. */
  static Distribution numeric(String column, double[] edges) {
    List<Double> distinct =
        new ArrayList<>(new LinkedHashSet<>(Arrays.stream(edges).boxed().sorted().toList()));
    return new Distribution(column, distinct, null, List.of());
  }

  /** Category bins, shares not measured yet. */
  static Distribution categorical(String column, List<String> levels) {
    return new Distribution(column, null, levels, List.of());
  }

  /**
   * The same bins of every distribution in {@code bins}, with the shares of {@code rows}: one pass
   * for all of them, in which each task finds every row's bin per distribution ({@link #binOf}) and
   * counts into one array. (Two earlier ways were slow: a {@code count_if} aggregate per bin, ~225
   * for 20 features, whose generated code took 1.3-4 s to compile at 100k rows; and a SQL {@code
   * CASE} chain per feature, 6 s per million rows.)
   */
  static List<Distribution> measure(List<Distribution> bins, Dataset<Row> rows) {
    if (bins.isEmpty()) {
      return List.of();
    }
    int[] offsets = new int[bins.size() + 1];
    for (int i = 0; i < bins.size(); i++) {
      offsets[i + 1] = offsets[i] + bins.get(i).bins();
    }
    double[][] edges = new double[bins.size()][];
    String[][] levels = new String[bins.size()][];
    Column[] values = new Column[bins.size()];
    for (int i = 0; i < bins.size(); i++) {
      Distribution d = bins.get(i);
      if (d.categorical()) {
        levels[i] = d.levels().toArray(String[]::new);
        values[i] = col(quoted(d.column())).cast("string");
      } else {
        edges[i] = d.edges().stream().mapToDouble(e -> e == 0.0 ? 0.0 : e).toArray();
        values[i] = col(quoted(d.column())).cast("double");
      }
    }
    MapPartitionsFunction<Row, long[]> countPartition =
        partition -> {
          long[] partial = new long[offsets[offsets.length - 1]];
          Map<String, Integer>[] levelIndex = levelIndexes(levels);
          while (partition.hasNext()) {
            Row row = partition.next();
            for (int i = 0; i < edges.length; i++) {
              partial[
                  offsets[i]
                      + binOf(row, i, edges[i], levelIndex[i], offsets[i + 1] - offsets[i] - 1)]++;
            }
          }
          return List.of(partial).iterator();
        };
    long[] sums = new long[offsets[offsets.length - 1]];
    for (long[] partial :
        rows.select(values)
            .mapPartitions(countPartition, Encoders.javaSerialization(long[].class))
            .collectAsList()) {
      Arrays.setAll(sums, i -> sums[i] + partial[i]);
    }
    List<Distribution> out = new ArrayList<>();
    for (int i = 0; i < bins.size(); i++) {
      long[] counts = Arrays.copyOfRange(sums, offsets[i], offsets[i + 1]);
      double total = Arrays.stream(counts).sum();
      List<Double> shares = new ArrayList<>();
      for (long count : counts) {
        shares.add(total == 0 ? 0.0 : count / total);
      }
      Distribution d = bins.get(i);
      out.add(new Distribution(d.column(), d.edges(), d.levels(), shares));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Integer>[] levelIndexes(String[][] levels) {
    Map<String, Integer>[] out = new Map[levels.length];
    for (int i = 0; i < levels.length; i++) {
      if (levels[i] != null) {
        out[i] = new HashMap<>();
        for (int level = 0; level < levels[i].length; level++) {
          out[i].putIfAbsent(levels[i][level], level);
        }
      }
    }
    return out;
  }

  /**
   * The bin of column {@code i} of {@code row}: for numbers, how many edges are at or below the
   * value (so bin b holds {@code edges[b-1] <= x < edges[b]}; -0.0 counts as 0.0, as in SQL); for
   * categories, the level's bin, else the bin of other levels; {@code missing} for null and NaN.
   */
  private static int binOf(
      Row row, int i, double[] edges, Map<String, Integer> levels, int missing) {
    if (row.isNullAt(i)) {
      return missing;
    }
    if (edges == null) {
      return levels.getOrDefault(row.getString(i), missing - 1);
    }
    double value = row.getDouble(i);
    if (Double.isNaN(value)) {
      return missing;
    }
    int found = Arrays.binarySearch(edges, value == 0.0 ? 0.0 : value);
    return found >= 0 ? found + 1 : -found - 1;
  }

  private static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  /**
   * The population stability index of {@code actual} against this expected distribution: Σ (a − e)
   * · ln(a / e) over the bins, each share floored at {@link #FLOOR}. 0 for identical distributions;
   * above 0.2 is commonly read as a significant shift, above 0.1 as a moderate one.
   */
  public double psi(Distribution actual) {
    double psi = 0;
    for (int bin = 0; bin < shares.size(); bin++) {
      double e = Math.max(shares.get(bin), FLOOR);
      double a = Math.max(actual.shares().get(bin), FLOOR);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }
}
