package io.nightjar.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
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
   * The same bins of every distribution in {@code bins}, with the shares of {@code rows}: one aggregation pass for
   * all of them.
   */
  static List<Distribution> measure(List<Distribution> bins, Dataset<Row> rows) {
    if (bins.isEmpty()) {
      return List.of();
    }
    List<Column> counts = new ArrayList<>();
    for (Distribution d : bins) {
      for (int bin = 0; bin < d.bins(); bin++) {
        counts.add(count_if(d.inBin(bin)).cast("double"));
      }
    }
    Row row = rows.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
    List<Distribution> out = new ArrayList<>();
    int offset = 0;
    for (Distribution d : bins) {
      double total = 0;
      double[] values = new double[d.bins()];
      for (int bin = 0; bin < values.length; bin++) {
        values[bin] = row.isNullAt(offset + bin) ? 0 : row.getDouble(offset + bin);
        total += values[bin];
      }
      List<Double> shares = new ArrayList<>();
      for (double v : values) {
        shares.add(total == 0 ? 0.0 : v / total);
      }
      out.add(new Distribution(d.column(), d.edges(), d.levels(), shares));
      offset += values.length;
    }
    return out;
  }

  /** True for the rows of {@code bin}. */
  private Column inBin(int bin) {
    Column value = col(quoted(column));
    int missingBin = bins() - 1;
    if (categorical()) {
      Column text = value.cast("string");
      if (bin == missingBin) {
        return value.isNull();
      }
      if (bin == levels.size()) {
        return value.isNotNull().and(text.isin(levels.toArray()).unary_$bang());
      }
      return text.equalTo(lit(levels.get(bin)));
    }
    Column number = value.cast("double");
    Column present = number.isNotNull().and(number.isNaN().unary_$bang());
    if (bin == missingBin) {
      return present.unary_$bang();
    }
    Column above = bin == 0 ? lit(true) : number.geq(edges.get(bin - 1));
    Column below = bin == edges.size() ? lit(true) : number.lt(edges.get(bin));
    return present.and(above).and(below);
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
