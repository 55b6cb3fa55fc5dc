package io.nightjar.scoring;

import static org.apache.spark.sql.functions.input_file_name;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.nightjar.TestSpark;
import io.nightjar.config.Task;
import io.nightjar.jobs.JobContext;
import io.nightjar.lookup.PredictionRows;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Map;

/**
 * Layout for point lookups (Z-order by id) and retention of a prediction table, on handmade rows.
 */
class PredictionTableTest {
  private static final String DB = "prediction_table_test";
  private static final LocalDate DAY = LocalDate.of(2024, 6, 1);
  private static final Instant AT = Instant.parse("2024-06-01T03:00:00Z");

  @TempDir static Path dir;
  static JobContext context;

  @BeforeAll
  static void setUp() {
    context = TestSpark.contextWithDatabase(dir, DB);
  }

  private static Dataset<Row> rows(PredictionRows table) {
    return context
        .spark()
        .read()
        .format("delta")
        .load(context.warehouse().location(table.table().name()));
  }

  @Test
  void retentionDeletesSupersededOldRowsAndKeepsEachEntitysLatestRow() {
    PredictionRows preds =
        new PredictionRows(context, "preds_retained", Task.REGRESSION, DataTypes.LongType);
    // Day 1 scores ids 0-9, day 2 ids 0-7, day 3 ids 0-4: ids 8-9 last appear on day 1, ids 5-7 on
    // day 2.
    preds.write("m", 1, DAY, 0, 10, id -> 1.0, AT, Duration.ofDays(1));
    preds.write(
        "m", 1, DAY.plusDays(1), 0, 8, id -> 2.0, AT.plus(Duration.ofDays(1)), Duration.ofDays(1));
    preds.write(
        "m", 1, DAY.plusDays(2), 0, 5, id -> 3.0, AT.plus(Duration.ofDays(2)), Duration.ofDays(1));
    preds.write("other", 1, DAY, 100, 104, id -> 9.0, AT, Duration.ofDays(1));
    Dataset<Row> view = context.spark().table(DB + ".preds_retained_current");
    List<Row> before = view.collectAsList();

    long deleted = preds.table().deleteSupersededBefore("m", DAY.plusDays(2));

    assertThat(deleted).isEqualTo(13);
    assertThat(rows(preds).where("model_name = 'm'").count()).isEqualTo(10);
    assertThat(rows(preds).where("model_name = 'm' AND score_date = DATE'2024-06-01'").count())
        .isEqualTo(2);
    assertThat(rows(preds).where("model_name = 'other'").count()).isEqualTo(4);
    assertThat(view.collectAsList()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(
            DeltaTable.forPath(context.spark(), context.warehouse().location(preds.table().name()))
                .history(1)
                .first()
                .<String>getAs("operation"))
        .isEqualTo("MERGE");
    // Nothing older than the first day kept: no commit.
    long version =
        DeltaTable.forPath(context.spark(), context.warehouse().location(preds.table().name()))
            .history(1)
            .first()
            .<Long>getAs("version");
    assertThat(preds.table().deleteSupersededBefore("m", DAY)).isZero();
    assertThat(
            DeltaTable.forPath(context.spark(), context.warehouse().location(preds.table().name()))
                .history(1)
                .first()
                .<Long>getAs("version"))
        .isEqualTo(version);
  }

  @Test
  void optimizeZOrdersTheDatesFilesById() {
    PredictionRows preds =
        new PredictionRows(context, "preds_laid_out", Task.REGRESSION, DataTypes.LongType);
    preds.write("m", 1, DAY, 0, 200, id -> id * 0.5, AT, Duration.ofDays(1));
    preds.write("m", 1, DAY, 0, 200, id -> id * 0.5, AT, Duration.ofDays(1));
    preds.write("m", 1, DAY.plusDays(1), 0, 200, id -> id * 0.5, AT, Duration.ofDays(1));
    Dataset<Row> day = rows(preds).where("score_date = DATE'2024-06-01'");
    List<Row> before = day.collectAsList();
    long filesBefore = files(day);
    assertThat(filesBefore).isGreaterThan(1);

    preds.table().optimizeDate(DAY);

    Row last =
        DeltaTable.forPath(context.spark(), context.warehouse().location(preds.table().name()))
            .history(1)
            .first();
    assertThat(last.<String>getAs("operation")).isEqualTo("OPTIMIZE");
    Map<String, String> parameters = last.getAs("operationParameters");
    assertThat(parameters.get("zOrderBy").get()).isEqualTo("[\"id\"]");
    assertThat(parameters.get("predicate").get()).contains("score_date");
    assertThat(day.collectAsList()).containsExactlyInAnyOrderElementsOf(before);
    // The date's files became one (small data); the other date was not rewritten.
    assertThat(files(day)).isEqualTo(1);
    assertThat(last.<Map<String, String>>getAs("operationMetrics").get("numRemovedFiles").get())
        .isEqualTo(Long.toString(filesBefore));
  }

  @Test
  void filesPerIdCountsHowManyFilesOfTheDateOneIdCanBeInFromTheLogAlone() {
    PredictionRows preds =
        new PredictionRows(context, "preds_ranges", Task.REGRESSION, DataTypes.LongType);
    preds.write("m", 1, DAY, 0, 200, id -> id * 0.5, AT, Duration.ofDays(1));
    Dataset<Row> day = rows(preds).where("score_date = DATE'2024-06-01'");
    assertThat(files(day)).as("PredictionRows writes several files").isGreaterThan(1);
    // Written in id order: each file holds its own id range.
    assertThat(preds.table().filesPerId(DAY)).isEqualTo(1);
    // A second model's rows of the same ids in the same date: each id is now in two files.
    preds.write("other", 1, DAY, 0, 200, id -> id * 0.5, AT, Duration.ofDays(1));
    assertThat(preds.table().filesPerId(DAY)).isEqualTo(2);
    assertThat(preds.table().filesPerId(DAY.plusDays(3))).as("a date without files").isZero();
    preds.table().optimizeDate(DAY);
    assertThat(preds.table().filesPerId(DAY)).isEqualTo(1);
  }

  @Test
  void idRangesOverlapWhereTheyShareAValue() {
    assertThat(IdRanges.maxOverlap(List.<Comparable<Object>[]>of())).isZero();
    assertThat(IdRanges.maxOverlap(ranges(0, 9, 10, 19, 20, 29))).isEqualTo(1);
    assertThat(IdRanges.maxOverlap(ranges(20, 29, 0, 9, 10, 19))).as("in any order").isEqualTo(1);
    assertThat(IdRanges.maxOverlap(ranges(0, 10, 10, 19))).as("touching ends").isEqualTo(2);
    assertThat(IdRanges.maxOverlap(ranges(0, 100, 5, 6, 50, 60, 55, 58))).isEqualTo(3);
    assertThat(IdRanges.maxOverlap(ranges(0, 100, 0, 100, 0, 100, 0, 100))).isEqualTo(4);
  }

  @SuppressWarnings("unchecked")
  private static List<Comparable<Object>[]> ranges(long... bounds) {
    List<Comparable<Object>[]> out = new ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      out.add(new Comparable[] {BigDecimal.valueOf(bounds[i]), BigDecimal.valueOf(bounds[i + 1])});
    }
    return out;
  }

  private static long files(Dataset<Row> rows) {
    return rows.select(input_file_name()).distinct().count();
  }
}
