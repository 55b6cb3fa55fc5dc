package io.nightjar.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import io.nightjar.config.ConfigException;
import io.nightjar.config.SourceSpec;
import io.nightjar.config.TableName;
import io.nightjar.data.SourceReader;
import io.nightjar.jobs.JobContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve's version checks without a Spark job: the catalog says where a source's Delta table lies
 * and Kernel reads its version, which must be the version Spark's reader pins.
 */
class KernelVersionsTest {
  @TempDir Path dir;

  @Test
  void kernelSeesTheVersionSparkPinsForTablesAndPathsAndMinusOneForNoTable() {
    JobContext context = TestSpark.contextWithDatabase(dir, "versions_test");
    TableName table = new TableName("versions_test", "features");
    String location = context.warehouse().location(table);
    KernelVersions versions = KernelVersions.open(context.env());
    SourceReader reader = new SourceReader(context.spark());
    SourceSpec byName = SourceSpec.table(table);
    assertThat(versions.latest(location)).isEqualTo(-1);
    // A checkpoint every 2 commits, which Kernel must read past as it must past Delta's default 10.
    context
        .spark()
        .sql(
            "CREATE TABLE versions_test.features (id BIGINT) USING delta LOCATION '"
                + location
                + "' TBLPROPERTIES ('delta.checkpointInterval' = '2')");
    for (int i = 0; i <= 3; i++) {
      if (i > 0) {
        context.spark().sql("INSERT INTO versions_test.features VALUES (" + i + ")");
      }
      String path = reader.deltaPath("serving.features", byName).orElseThrow();
      assertThat(versions.latest(path))
          .isEqualTo(i)
          .isEqualTo(reader.latestVersion("serving.features", byName));
    }
    assertThat(Path.of(location, "_delta_log", "00000000000000000002.checkpoint.parquet")).exists();
    SourceSpec byPath = new SourceSpec(null, location, "delta", Map.of());
    assertThat(reader.deltaPath("serving.features", byPath)).contains(location);
    assertThat(versions.latest(location)).isEqualTo(3);
  }

  @Test
  void aSourceThatIsNotDeltaHasNoPathAndAMissingTableIsNamed() {
    JobContext context = TestSpark.contextWithDatabase(dir, "versions_csv");
    String csv = dir.resolve("rows.csv").toString();
    context.spark().range(3).write().option("header", "true").csv(csv);
    SourceReader reader = new SourceReader(context.spark());
    assertThat(
            reader.deltaPath(
                "serving.features", new SourceSpec(null, csv, "csv", Map.of("header", "true"))))
        .isEmpty();
    context.spark().sql("CREATE TABLE versions_csv.plain USING parquet AS SELECT 1 AS id");
    assertThat(
            reader.deltaPath(
                "serving.features", SourceSpec.table(new TableName("versions_csv", "plain"))))
        .isEmpty();
    assertThatThrownBy(
            () ->
                reader.deltaPath(
                    "serving.features", SourceSpec.table(new TableName("versions_csv", "gone"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value for 'serving.features': table 'versions_csv.gone' does not exist in the"
                + " warehouse.");
  }
}
