package io.nightjar.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * The distribution of one column over bins: for numbers, the bins between {@code edges} (the training data's deciles;
 * below the first edge is bin 0, at or above the last is the last bin); for categories, one bin per {@code levels}
 * entry plus one for every other level. Both have a last bin for missing values (null, NaN). {@code shares} sum to 1.
 *
 * <p>Kept as a plain record so that it serialises to the artifact's {@code baseline.json} with Jackson.
 */
public record Distribution(String column, List<Double> edges, List<String> levels, List<Double> shares) {
  /** PSI terms use at least this share, so an empty bin on one side gives a large but finite term. */
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
    List<Double> distinct = new ArrayList<>(new LinkedHashSet<>(Arrays.stream(edges).boxed().sorted().toList()));
    return new Distribution(column, distinct, null, List.of());
  }

  /** Category bins, shares not measured yet. */
  static Distribution categorical(String column, List<String> levels) {
    return new Distribution(column, null, levels, List.of());
  }

  /**
   * The same bins of every distribution in {@code bins}, with the shares of {@code rows}: one pass for all of them,
   * in which each task computes every row's bins and counts them in one array. (A {@code
   * count_if} per bin, the first way, put hundreds of aggregates into one generated class, whose compilation took
   * 1.3-4 s of a 100k-row baseline.)
   */
  static List<Distribution> measure(List<Distribution> bins, Dataset<Row> rows) {
    if (bins.isEmpty()) {
      return List.of();
    }
    int[] offsets = new int[bins.size() + 1];
    for (int i = 0; i < bins.size(); i++) {
      offsets[i + 1] = offsets[i] + bins.get(i).bins();
    }
    int width = offsets[bins.size()];
    Column[] binOfEach = bins.stream().map(Distribution::binOf).toArray(Column[]::new);
    MapPartitionsFunction<Row, long[]> countPartition = binned -> {
      long[] partial = new long[width];
      while (binned.hasNext()) {
        Row row = binned.next();
        for (int i = 0; i < offsets.length - 1; i++) {
          partial[offsets[i] + row.getInt(i)]++;
        }
      }
      return List.of(partial).iterator();
    };
    long[] sums = new long[width];
    for (long[] partial : rows.select(binOfEach).mapPartitions(countPartition, Encoders.javaSerialization(long[].class))
        .collectAsList()) {
      Arrays.setAll(sums, i -> sums[i] + partial[i]);
    }
    double[][] counts = new double[bins.size()][];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = Arrays.stream(Arrays.copyOfRange(sums, offsets[i], offsets[i + 1])).asDoubleStream().toArray();
    }
    List<Distribution> out = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      double total = Arrays.stream(counts[i]).sum();
      List<Double> shares = new ArrayList<>();
      for (double count : counts[i]) {
        shares.add(total == 0 ? 0.0 : count / total);
      }
      Distribution d = bins.get(i);
      out.add(new Distribution(d.column(), d.edges(), d.levels(), shares));
    }
    return out;
  }

  /**
   * The bin of each row: for numbers, the first edge the value is below (so bin b holds {@code edges[b-1] <= x <
   * edges[b]}), else the last edge's bin; for categories, the level's bin, else the bin of other levels; the missing
   * bin for null and NaN.
   */
  private Column binOf() {
    Column value = col(quoted(column));
    int missingBin = bins() - 1;
    if (categorical()) {
      Column text = value.cast("string");
      Column bin = when(value.isNull(), missingBin);
      for (int level = 0; level < levels.size(); level++) {
        bin = bin.when(text.equalTo(lit(levels.get(level))), level);
      }
      return bin.otherwise(levels.size());
    }
    Column number = value.cast("double");
    Column bin = when(number.isNull().or(isnan(number)), missingBin);
    for (int edge = 0; edge < edges.size(); edge++) {
      bin = bin.when(number.lt(edges.get(edge)), edge);
    }
    return bin.otherwise(edges.size());
  }

  private static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  /**
   * The population stability index of {@code actual} against this expected distribution: Σ (a − e) · ln(a / e) over
   * the bins, each share floored at {@link #FLOOR}. 0 for identical distributions; above 0.2 is commonly read as a
   * significant shift, above 0.1 as a moderate one.
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
