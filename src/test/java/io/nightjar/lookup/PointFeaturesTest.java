package io.nightjar.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestDatabase;
import io.nightjar.config.SourceSpec;
import io.nightjar.kernel.KernelPointReader;
import io.nightjar.kernel.KernelVersions;
import io.nightjar.spark.DeltaPointReader;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Features read by id (a source above {@code serve.features_memory}) against the snapshot the same
 * source gives in memory: the same newest row and values for every id, at the pinned version.
 */
class PointFeaturesTest {
  private static final String DB = "point_features_test";
  private static final List<String> FEATURES = List.of("x", "n", "flag", "city", "amount");
  private static final long LIMIT_HELD = 1L << 30;
  private static final long LIMIT_TINY = 16;

  @RegisterExtension static final TestDatabase db = new TestDatabase(DB);

  private static StructType schema(String idType) {
    return StructType.fromDDL(
        "id "
            + idType
            + ", x DOUBLE, n INT, flag BOOLEAN, city STRING, amount DECIMAL(10,2), at TIMESTAMP");
  }

  private static Timestamp hour(Integer hour) {
    return hour == null ? null : Timestamp.valueOf("2026-01-01 %02d:00:00".formatted(hour));
  }

  /**
   * One write in three files: ids 1-3 and 40 with rows at different times (the newest not always
   * written last), id 2 with a row without a time, id 41 only without one, nulls among the values.
   */
  private static SourceSpec write(String table, String idType, LongFunction<Object> id) {
    List<Row> rows =
        List.of(
            row(id.apply(1), 1.0, 1, true, "oslo", "1.10", 5),
            row(id.apply(2), 2.0, 2, false, "rome", "2.20", 1),
            row(id.apply(3), 3.0, null, true, null, "3.30", 9),
            row(id.apply(40), 40.0, 40, null, "lima", null, 2),
            row(id.apply(1), 1.5, 10, false, "bern", "1.50", 7),
            row(id.apply(2), null, 20, true, "kyiv", "2.50", null),
            row(id.apply(3), 3.5, 30, false, "riga", "3.50", 3),
            row(id.apply(41), 41.0, 41, true, "baku", "4.10", null),
            row(id.apply(1), 1.9, 19, true, null, "1.90", 6),
            row(id.apply(2), 2.9, null, null, "oslo", null, 4),
            row(id.apply(40), 40.5, 45, false, "quito", "40.50", 8),
            row(id.apply(42), 42.0, 42, false, "doha", "42.00", 1));
    return SourceSpec.table(
        db.write(
            table, db.spark().createDataFrame(rows, schema(idType)).repartition(3), "overwrite"));
  }

  private static Row row(
      Object id, Double x, Integer n, Boolean flag, String city, String amount, Integer hour) {
    return RowFactory.create(
        id, x, n, flag, city, amount == null ? null : new BigDecimal(amount), hour(hour));
  }

  private static FeatureCache cache(SourceSpec source, long limit, DeltaPointReader reader) {
    return new FeatureCache(
        db.spark(),
        "m",
        source,
        "id",
        "at",
        limit,
        KernelVersions.withHadoop(db.spark().sparkContext().hadoopConfiguration()),
        reader,
        1_000);
  }

  private static DeltaPointReader kernel() {
    return KernelPointReader.withHadoop(db.spark().sparkContext().hadoopConfiguration());
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "BIGINT", "STRING"})
  void pointReadsGiveWhatTheSnapshotGivesForEveryId(String idType) {
    boolean text = idType.equals("STRING");
    LongFunction<Object> id =
        n -> text ? "e" + n : idType.equals("INT") ? (Object) (int) n : (Object) n;
    SourceSpec source = write("by_" + idType.toLowerCase(), idType, id);
    FeatureCache held = cache(source, LIMIT_HELD, kernel());
    FeatureCache point = cache(source, LIMIT_TINY, kernel());

    assertThat(held.refresh(FEATURES)).isTrue();
    assertThat(point.refresh(FEATURES)).isTrue();

    assertThat(point.problem()).isNull();
    assertThat(point.snapshot()).isNull();
    EntityFeatures read = point.features();
    assertThat(read).isInstanceOf(PointFeatures.class);
    FeatureSnapshot snapshot = held.snapshot();
    assertThat(read.sourceVersion()).isEqualTo(snapshot.sourceVersion()).isEqualTo(0);
    assertThat(read.idType()).isEqualTo(snapshot.idType());
    assertThat(read.columns()).isEqualTo(snapshot.columns()).isEqualTo(FEATURES);
    List<Object> ids = new ArrayList<>();
    for (long n : new long[] {1, 2, 3, 40, 41, 42, 7, 1L << 40}) {
      ids.add(text ? "e" + n : n);
    }
    for (Object requested : ids) {
      assertThat(read.find(requested)).as("id %s", requested).isEqualTo(snapshot.find(requested));
    }
    // The newest row by time, not the last written: spot-check one so parity is not vacuous.
    Object one = text ? "e1" : 1L;
    assertThat(read.find(one).orElseThrow())
        .containsEntry("x", 1.5)
        .containsEntry("n", 10L)
        .containsEntry("flag", false)
        .containsEntry("city", "bern")
        .containsEntry("amount", 1.5);
    assertThat(read.find(text ? "e7" : 7L)).isEmpty();
  }

  @Test
  void aRepeatedIdIsReadOnceAndANewVersionIsReadAtThatVersion() {
    SourceSpec source = write("versions", "BIGINT", n -> n);
    AtomicInteger reads = new AtomicInteger();
    DeltaPointReader kernel = kernel();
    DeltaPointReader counted =
        (path, version, column, key, columns) -> {
          reads.incrementAndGet();
          return kernel.rowsWhere(path, version, column, key, columns);
        };
    FeatureCache point = cache(source, LIMIT_TINY, counted);
    point.refresh(FEATURES);
    EntityFeatures first = point.features();

    assertThat(first.find(1L).orElseThrow()).containsEntry("x", 1.5);
    assertThat(first.find(1L).orElseThrow()).containsEntry("x", 1.5);
    assertThat(first.find(999L)).isEmpty();
    assertThat(first.find(999L)).isEmpty();
    assertThat(reads).as("one read per id, an absent id included").hasValue(2);

    db.write(
        "versions",
        db.spark()
            .createDataFrame(
                List.of(
                    row(1L, 100.0, 100, true, "nuuk", "100.00", 23),
                    row(3L, 300.0, 300, true, "nuuk", "300.00", 23)),
                schema("BIGINT")),
        "append");
    assertThat(first.find(1L).orElseThrow()).containsEntry("x", 1.5);
    assertThat(first.find(3L).orElseThrow())
        .as("read after the write, at the pinned version")
        .containsEntry("x", 3.0);
    assertThat(point.refresh(FEATURES)).isTrue();

    EntityFeatures second = point.features();
    assertThat(second.sourceVersion()).isEqualTo(first.sourceVersion() + 1);
    assertThat(second.find(1L).orElseThrow()).containsEntry("x", 100.0);
    assertThat(second.find(3L).orElseThrow()).containsEntry("x", 300.0);
    assertThat(reads).hasValue(5);
  }
}
