package io.nightjar.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SplitsTest {
  private static Dataset<Row> rows() {
    return TestSpark.session()
        .range(0, 2000, 1, 3)
        .withColumn("t", col("id").multiply(10).cast("timestamp"));
  }

  private static List<Long> ids(Dataset<Row> rows) {
    return rows.select("id").orderBy("id").as(Encoders.LONG()).collectAsList();
  }

  @Test
  void randomHoldoutIsAStableShareChosenById() {
    Splits first = Splits.of(rows(), "id", null, 0.2, 3, 42L);
    Splits again = Splits.of(rows().repartition(5), "id", null, 0.2, 3, 42L);
    assertThat(ids(first.holdout())).isEqualTo(ids(again.holdout()));
    assertThat(first.holdout().count()).isBetween(340L, 460L);
    assertThat(first.tuning().select(Columns.FOLD).distinct().count()).isEqualTo(3);
    assertThat(ids(Splits.of(rows(), "id", null, 0.2, 3, 43L).holdout()))
        .isNotEqualTo(ids(first.holdout()));
  }

  @Test
  void timeHoldoutIsTheLatestRows() {
    Splits splits = Splits.of(rows(), "id", "t", 0.25, 2, 1L);
    long latestTuning = splits.tuning().agg(max("id")).first().getLong(0);
    long earliestHoldout = splits.holdout().agg(min("id")).first().getLong(0);
    assertThat(latestTuning).isLessThan(earliestHoldout);
    assertThat(splits.holdout().count()).isBetween(450L, 550L);
  }

  @Test
  void aTimeColumnWithOneValueIsRefusedClearly() {
    Dataset<Row> sameTime = rows().withColumn("t", lit(Timestamp.valueOf("2024-01-01 00:00:00")));
    Splits splits = Splits.of(sameTime, "id", "t", 0.2, 2, 1L);
    assertThatThrownBy(() -> splits.requireRows("m", 2000))
        .isInstanceOf(DataException.class)
        .hasMessage(
            "Cannot train model 'm': no row is later than the others in time column 't' (data.time), so there are no"
                + " latest rows to hold out; it needs distinct times, or remove data.time for a random holdout.");
  }

  @Test
  void tooFewRowsForTheHoldoutAndFoldsAreRefusedWithTheCounts() {
    Dataset<Row> four = rows().limit(4);
    Splits splits = Splits.of(four, "id", null, 0.2, 5, 42L);

    assertThatThrownBy(() -> splits.requireRows("m", 4))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(
            "Cannot train model 'm': 4 rows are too few for a holdout and 5 folds (the holdout has ")
        .hasMessageEndingWith("; add rows, lower tuning.folds or raise tuning.holdout.");
    Splits enough = Splits.of(rows(), "id", null, 0.2, 5, 42L);
    enough.requireRows("m", 2000);
  }
}
