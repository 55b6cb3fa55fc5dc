package io.nightjar.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestDatabase;
import io.nightjar.config.SourceSpec;
import io.nightjar.config.TableName;
import io.nightjar.kernel.KernelPointReader;
import io.nightjar.kernel.KernelVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FeatureCacheTest {
  private static final String DB = "feature_cache_test";
  private static final StructType SCHEMA =
      StructType.fromDDL("id BIGINT, x DOUBLE, n INT, flag BOOLEAN, city STRING, at TIMESTAMP");

  @RegisterExtension static final TestDatabase db = new TestDatabase(DB);

  /** A feature row (id, x, n, flag, city) as of {@code hour} o'clock on 2026-01-01. */
  private static Row row(long id, Double x, Integer n, Boolean flag, String city, int hour) {
    return RowFactory.create(
        id, x, n, flag, city, Timestamp.valueOf("2026-01-01 %02d:00:00".formatted(hour)));
  }

  /** {@code rows} as the feature table {@code name}, replacing what it held. */
  private static SourceSpec write(String name, Row... rows) {
    return SourceSpec.table(
        db.write(name, db.spark().createDataFrame(List.of(rows), SCHEMA), "overwrite"));
  }

  private static FeatureCache cache(SourceSpec source, long limit) {
    return new FeatureCache(
        db.spark(),
        "m",
        source,
        "id",
        "at",
        limit,
        KernelVersions.withHadoop(db.spark().sparkContext().hadoopConfiguration()),
        KernelPointReader.withHadoop(db.spark().sparkContext().hadoopConfiguration()),
        1_000);
  }

  @Test
  void holdsTheNewestRowOfEachIdWithItsValuesAndNulls() {
    SourceSpec source =
        write(
            "features",
            row(2L, 2.5, 7, true, "paris", 1),
            row(1L, 1.0, null, false, "oslo", 1),
            row(1L, 9.0, 3, null, null, 5),
            row(3L, null, 1, true, "paris", 2));
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
    SourceSpec source = write("reloaded", row(1L, 1.0, 1, true, "a", 1));
    FeatureCache cache = cache(source, 1L << 30);
    cache.refresh(List.of("x"));
    FeatureSnapshot first = cache.snapshot();

    write("reloaded", row(1L, 2.0, 1, true, "a", 1));
    assertThat(first.find(1L).orElseThrow()).containsEntry("x", 1.0);
    assertThat(cache.refresh(List.of("x"))).isTrue();

    assertThat(cache.snapshot().sourceVersion()).isEqualTo(first.sourceVersion() + 1);
    assertThat(cache.snapshot().find(1L).orElseThrow()).containsEntry("x", 2.0);
    assertThat(first.find(1L).orElseThrow()).as("a snapshot never changes").containsEntry("x", 1.0);
  }

  @Test
  void aDeltaSourceAboveTheMemorySettingIsReadByIdInstead() {
    SourceSpec source =
        write("large", row(1L, 1.0, 1, true, "a", 1), row(2L, 2.0, 1, true, "b", 1));
    FeatureCache cache = cache(source, 16);

    assertThat(cache.refresh(List.of("x", "city"))).isTrue();

    assertThat(cache.snapshot()).isNull();
    assertThat(cache.problem()).isNull();
    assertThat(cache.features().describe())
        .isEqualTo(
            "features read by id at each request (feature_cache_test.large (serving.features)"
                + " needs 0.0 MiB (estimated), above serve.features_memory (0.0 MiB))");
    assertThat(cache.features().find(2L).orElseThrow())
        .containsEntry("x", 2.0)
        .containsEntry("city", "b");
    assertThat(cache.schema().fieldNames()).contains("x", "city");
  }

  @Test
  void aSourceAboveTheMemorySettingThatIsNotDeltaIsRefusedWithTheReason() throws Exception {
    Path csv = db.dir().resolve("large.csv");
    Files.writeString(csv, "id,x\n1,1.0\n2,2.0\n");
    FeatureCache cache = cache(new SourceSpec(null, csv.toString(), "csv", Map.of()), 16);

    assertThat(cache.refresh(List.of("x"))).isFalse();

    assertThat(cache.features()).isNull();
    assertThat(cache.problem())
        .startsWith("Cannot hold the features of model 'm' in memory: csv:" + csv)
        .contains(
            "above serve.features_memory (0.0 MiB), and only a Delta table can be read by id");
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
      rows.add(row(id, id * 0.5, (int) id, id % 2 == 0, "c" + (id % 10), 1));
    }
    FeatureCache cache = cache(write("estimated", rows.toArray(Row[]::new)), 1L << 30);
    cache.refresh(List.of("x", "n", "flag", "city"));
    // 8 (id) + 8 + 8 + 4 (city code) bytes a row, a bit per boolean, a null mask per non-text
    // column.
    assertThat(cache.snapshot().estimatedBytes()).isBetween(200L * 28, 200L * 28 + 600);
  }
}
