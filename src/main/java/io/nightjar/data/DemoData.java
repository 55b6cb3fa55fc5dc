package io.nightjar.data;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Synthetic data with known answers for the demo and the tests. Regression follows Friedman #1
 * (Friedman 1991): 20 uniform features of which x1..x5 matter, {@code y = 10 sin(pi x1 x2) + 20 (x3
 * - 0.5)^2 + 10 x4 + 5 x5 + e}, plus a categorical {@code segment} that shifts y, an {@code
 * event_time} within the given day, and Gaussian noise of standard deviation {@link #NOISE} (so the
 * best possible RMSE is about 1). Classification draws a 0/1 label with a known logistic
 * probability. Rows are a deterministic function of the seed and the id range.
 */
public final class DemoData {
  public static final int FEATURES = 20;
  public static final double NOISE = 1.0;
  public static final List<String> SEGMENTS = List.of("north", "south", "east", "west");
  private static final double[] SEGMENT_SHIFT = {0.0, 1.5, -1.0, 2.5};
  private static final int PARTITIONS = 4;

  private DemoData() {}

  /**
   * Entities {@code [firstId, firstId + rows)} with features x1..x20 and segment, drawn with {@code
   * seed}.
   */
  public static Dataset<Row> entities(SparkSession spark, long firstId, long rows, long seed) {
    List<Column> columns = new ArrayList<>();
    columns.add(col("id"));
    for (int i = 1; i <= FEATURES; i++) {
      columns.add(rand(seed * 1_000 + i).as("x" + i));
    }
    Column segmentIndex =
        floor(rand(seed * 1_000 + 99).multiply(SEGMENTS.size())).cast("int").plus(1);
    Column names =
        array(SEGMENTS.stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
    columns.add(element_at(names, segmentIndex).as("segment"));
    return spark
        .range(firstId, firstId + rows, 1, PARTITIONS)
        .select(columns.toArray(Column[]::new));
  }

  /**
   * Friedman #1 training rows with label {@code label} and an {@code event_time} within {@code
   * day}.
   */
  public static Dataset<Row> regression(
      SparkSession spark, long firstId, long rows, long seed, LocalDate day) {
    return withTime(withRegressionLabel(entities(spark, firstId, rows, seed), seed), seed, day);
  }

  /**
   * Binary rows: P(label = 1) = sigmoid(4 (x1 - 0.5) + 3 (x2 - 0.5) - 2 (x3 - 0.5) + segment shift
   * / 2).
   */
  public static Dataset<Row> classification(
      SparkSession spark, long firstId, long rows, long seed, LocalDate day) {
    return withTime(withClassificationLabel(entities(spark, firstId, rows, seed), seed), seed, day);
  }

  /**
   * The outcomes of entities scored earlier, arriving on {@code day}: the rows of {@link
   * #entities}{@code (spark, firstId, rows, entitySeed)} with their true label drawn with {@code
   * labelSeed} and an {@code event_time} within {@code day} (late labels for {@code evaluate}).
   */
  public static Dataset<Row> regressionOutcomes(
      SparkSession spark, long firstId, long rows, long entitySeed, long labelSeed, LocalDate day) {
    return withTime(
        withRegressionLabel(entities(spark, firstId, rows, entitySeed), labelSeed), labelSeed, day);
  }

  /** Like {@link #regressionOutcomes}, for the classification model. */
  public static Dataset<Row> classificationOutcomes(
      SparkSession spark, long firstId, long rows, long entitySeed, long labelSeed, LocalDate day) {
    return withTime(
        withClassificationLabel(entities(spark, firstId, rows, entitySeed), labelSeed),
        labelSeed,
        day);
  }

  private static Dataset<Row> withRegressionLabel(Dataset<Row> entities, long seed) {
    Column signal =
        sin(col("x1").multiply(col("x2")).multiply(Math.PI))
            .multiply(10)
            .plus(pow(col("x3").minus(0.5), 2).multiply(20))
            .plus(col("x4").multiply(10))
            .plus(col("x5").multiply(5))
            .plus(segmentShift());
    return entities.withColumn("label", signal.plus(randn(seed * 1_000 + 98).multiply(NOISE)));
  }

  private static Dataset<Row> withClassificationLabel(Dataset<Row> entities, long seed) {
    Dataset<Row> base = entities.withColumn("p", probability());
    Column label = when(rand(seed * 1_000 + 97).lt(col("p")), 1).otherwise(0);
    return base.withColumn("label", label).drop("p");
  }

  /**
   * The true P(label = 1) of {@link #classification} rows, as a column expression on the features.
   */
  public static Column probability() {
    Column logit =
        col("x1")
            .minus(0.5)
            .multiply(4)
            .plus(col("x2").minus(0.5).multiply(3))
            .minus(col("x3").minus(0.5).multiply(2))
            .plus(segmentShift().divide(2));
    return lit(1.0).divide(lit(1.0).plus(exp(logit.multiply(-1))));
  }

  private static Column segmentShift() {
    Column shift = lit(0.0);
    for (int i = SEGMENTS.size() - 1; i >= 0; i--) {
      shift = when(col("segment").equalTo(SEGMENTS.get(i)), SEGMENT_SHIFT[i]).otherwise(shift);
    }
    return shift;
  }

  private static Dataset<Row> withTime(Dataset<Row> rows, long seed, LocalDate day) {
    long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    Column time =
        rand(seed * 1_000 + 96).multiply(86_399).plus(start).cast("long").cast("timestamp");
    return rows.withColumn("event_time", time);
  }
}
