package io.nightjar.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import io.nightjar.config.SourceSpec;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import io.nightjar.kernel.KernelVersions;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
  private static final String DB = "feature_cache_test";
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("x", DataTypes.DoubleType)
          .add("n", DataTypes.IntegerType)
          .add("flag", DataTypes.BooleanType)
          .add("city", DataTypes.StringType)
          .add("at", DataTypes.TimestampType);

  @TempDir static Path dir;
  static JobContext context;
  static SparkSession spark;

  @BeforeAll
  static void session() {
    context = TestSpark.contextWithDatabase(dir, DB);
    spark = context.spark();
  }

  private static Timestamp at(int hour) {
    return Timestamp.valueOf("2026-01-01 %02d:00:00".formatted(hour));
  }

  private static SourceSpec write(String name, List<Row> rows, String mode) {
    TableName table = new TableName(DB, name);
    Dataset<Row> frame = spark.createDataFrame(rows, SCHEMA);
    frame.write().format("delta").mode(mode).save(context.warehouse().location(table));
    context.warehouse().register(table);
    return SourceSpec.table(table);
  }

  private static FeatureCache cache(SourceSpec source, long limit) {
    return new FeatureCache(
        spark,
        "m",
        source,
        "id",
        "at",
        limit,
        KernelVersions.withHadoop(spark.sparkContext().hadoopConfiguration()));
  }

  @Test
  void holdsTheNewestRowOfEachIdWithItsValuesAndNulls() {
    SourceSpec source =
        write(
            "features",
            List.of(
                RowFactory.create(2L, 2.5, 7, true, "paris", at(1)),
                RowFactory.create(1L, 1.0, null, false, "oslo", at(1)),
                RowFactory.create(1L, 9.0, 3, null, null, at(5)),
                RowFactory.create(3L, null, 1, true, "paris", at(2))),
            "overwrite");
    FeatureCache cache = cache(source, 1L << 30);

    assertThat(cache.refresh(List.of("x", "n", "flag", "city", "missing"))).isTrue();

    FeatureSnapshot snapshot = cache.snapshot();
    assertThat(snapshot.size()).isEqualTo(3);
    assertThat(snapshot.columns()).containsExactly("x", "n", "flag", "city");
    Map<String, Object> newest = new HashMap<>();
    newest.put("x", 9.0);
    newest.put("n", 3L);
    newest.put("flag", null);
    newest.put("city", null);
    assertThat(snapshot.find(1L)).contains(newest);
    assertThat(snapshot.find(2L).orElseThrow())
        .containsEntry("x", 2.5)
        .containsEntry("n", 7L)
        .containsEntry("flag", true)
        .containsEntry("city", "paris");
    assertThat(snapshot.find(3L).orElseThrow()).containsEntry("x", null);
    assertThat(snapshot.find(4L)).isEmpty();
    assertThat(cache.problem()).isNull();
    assertThat(cache.refresh(List.of("x", "n"))).as("same version, columns held").isFalse();
  }

  @Test
  void reloadsWhenTheSourceHasANewVersionAndKeepsServingTheOldMeanwhile() {
    SourceSpec source =
        write("reloaded", List.of(RowFactory.create(1L, 1.0, 1, true, "a", at(1))), "overwrite");
    FeatureCache cache = cache(source, 1L << 30);
    cache.refresh(List.of("x"));
    FeatureSnapshot first = cache.snapshot();

    write("reloaded", List.of(RowFactory.create(1L, 2.0, 1, true, "a", at(1))), "overwrite");
    assertThat(first.find(1L).orElseThrow()).containsEntry("x", 1.0);
    assertThat(cache.refresh(List.of("x"))).isTrue();

    assertThat(cache.snapshot().sourceVersion()).isEqualTo(first.sourceVersion() + 1);
    assertThat(cache.snapshot().find(1L).orElseThrow()).containsEntry("x", 2.0);
    assertThat(first.find(1L).orElseThrow()).as("a snapshot never changes").containsEntry("x", 1.0);
  }

  @Test
  void aSourceAboveTheMemorySettingIsRefusedWithTheReason() {
    SourceSpec source =
        write(
            "large",
            List.of(
                RowFactory.create(1L, 1.0, 1, true, "a", at(1)),
                RowFactory.create(2L, 1.0, 1, true, "b", at(1))),
            "overwrite");
    FeatureCache cache = cache(source, 16);

    assertThat(cache.refresh(List.of("x", "city"))).isFalse();

    assertThat(cache.snapshot()).isNull();
    assertThat(cache.problem())
        .startsWith("Cannot hold the features of model 'm' in memory: feature_cache_test.large")
        .contains("above serve.features_memory (0.0 MiB)");
    assertThat(cache.schema().fieldNames()).contains("x", "city");
  }

  @Test
  void aMissingTableIsAProblemNamingTheKey() {
    FeatureCache cache = cache(SourceSpec.table(new TableName(DB, "absent")), 1L << 30);
    assertThatThrownBy(() -> cache.refresh(List.of("x"))).hasMessageContaining("serving.features");
    assertThat(cache.problem())
        .startsWith("Cannot load the features of model 'm' from feature_cache_test.absent:");
  }

  @Test
  void theEstimateIsCloseToTheHeldArrays() {
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 200; id++) {
      rows.add(RowFactory.create(id, id * 0.5, (int) id, id % 2 == 0, "c" + (id % 10), at(1)));
    }
    FeatureCache cache = cache(write("estimated", rows, "overwrite"), 1L << 30);
    cache.refresh(List.of("x", "n", "flag", "city"));
    // 8 (id) + 8 + 8 + 4 (city code) bytes a row, a bit per boolean, a null mask per non-text
    // column.
    assertThat(cache.snapshot().estimatedBytes()).isBetween(200L * 28, 200L * 28 + 600);
  }
}
