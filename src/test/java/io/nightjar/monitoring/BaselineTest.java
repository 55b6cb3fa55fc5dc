package io.nightjar.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestSpark;
import io.nightjar.data.DemoData;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BaselineTest {
  static SparkSession spark;
  static Dataset<Row> training;
  static Baseline baseline;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.session();
    training = DemoData.regression(spark, 0, 20_000, 1, LocalDate.of(2024, 1, 1)).cache();
    baseline =
        Baseline.measure(
            training, List.of("x1", "x2", "segment"), List.of("segment"), training, "label");
  }

  @Test
  void binsHoldTenthsOfTheTrainingRowsAndNothingMissing() {
    Distribution x1 = baseline.features().get(0);
    assertThat(x1.edges()).hasSize(9);
    assertThat(x1.shares()).hasSize(11);
    for (int bin = 0; bin < 10; bin++) {
      assertThat(x1.shares().get(bin)).isCloseTo(0.1, within(0.01));
    }
    assertThat(x1.shares().get(10)).isZero();
    Distribution segment = baseline.features().get(2);
    assertThat(segment.levels()).containsExactlyInAnyOrderElementsOf(DemoData.SEGMENTS);
    assertThat(segment.shares().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-9));
  }

  @Test
  void theSameDistributionHasAPsiNearZeroAndAShiftedOneAnAlert() {
    Dataset<Row> fresh = DemoData.entities(spark, 0, 20_000, 77);
    Map<String, Double> same = baseline.featurePsi(fresh);
    assertThat(same.values()).allSatisfy(psi -> assertThat(psi).isLessThan(0.01));

    Dataset<Row> shifted =
        fresh
            .withColumn("x1", col("x1").multiply(0.5).plus(0.5))
            .withColumn(
                "segment",
                when(col("segment").equalTo("north"), lit("south")).otherwise(col("segment")));
    Map<String, Double> psi = baseline.featurePsi(shifted);
    assertThat(psi.get("x1")).isGreaterThan(0.2);
    assertThat(psi.get("x2")).isLessThan(0.01);
    assertThat(psi.get("segment")).isGreaterThan(0.2);
  }

  @Test
  void unseenLevelsAndMissingValuesHaveTheirOwnBins() {
    Dataset<Row> odd =
        DemoData.entities(spark, 0, 1_000, 5)
            .withColumn("segment", lit("mars"))
            .withColumn("x1", lit(null).cast("double"));
    Distribution segment = Distribution.measure(List.of(baseline.features().get(2)), odd).get(0);
    assertThat(segment.shares().get(segment.levels().size())).isEqualTo(1.0);
    Distribution x1 = Distribution.measure(List.of(baseline.features().get(0)), odd).get(0);
    assertThat(x1.shares().get(x1.shares().size() - 1)).isEqualTo(1.0);
    assertThat(baseline.featurePsi(odd).get("x1")).isGreaterThan(5.0).isFinite();
  }

  @Test
  void aBaselineSurvivesItsJsonFile() {
    Baseline read = Baseline.fromJson(baseline.toJson());
    assertThat(read).isEqualTo(baseline);
    assertThat(read.predictionPsi(training)).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void aValueOnAnEdgeCountsInTheBinAboveItAndNaNAsMissing() {
    Dataset<Row> rows =
        spark.sql(
            "SELECT * FROM VALUES (0.5D, 'a'), (1.0D, 'b'), (1.5D, 'b'), (2.0D, 'c'), (3.0D, NULL),"
                + " (double('NaN'), 'a'), (NULL, 'a') AS t(v, s)");
    List<Distribution> measured =
        Distribution.measure(
            List.of(
                Distribution.numeric("v", new double[] {2.0, 1.0, 1.0}),
                Distribution.categorical("s", List.of("a", "b"))),
            rows);
    // Edges 1 and 2 (sorted, duplicates dropped): below 1 | [1, 2) | 2 and above | missing.
    assertThat(measured.get(0).shares()).containsExactly(1 / 7.0, 2 / 7.0, 2 / 7.0, 2 / 7.0);
    // Levels a and b | every other level | missing.
    assertThat(measured.get(1).shares()).containsExactly(3 / 7.0, 2 / 7.0, 1 / 7.0, 1 / 7.0);
    // -0.0 is not below an edge at 0.0, as in SQL.
    assertThat(
            Distribution.measure(
                    List.of(Distribution.numeric("z", new double[] {0.0})),
                    spark.sql("SELECT * FROM VALUES (-1.0D), (-0.0D), (0.0D) AS t(z)"))
                .get(0)
                .shares())
        .containsExactly(1 / 3.0, 2 / 3.0, 0.0);
    assertThat(
            Distribution.measure(
                    List.of(Distribution.numeric("v", new double[] {1.0})), rows.limit(0))
                .get(0)
                .shares())
        .containsExactly(0.0, 0.0, 0.0);
  }
}
