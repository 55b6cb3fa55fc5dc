package io.nightjar.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import io.nightjar.config.SourceSpec;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a source pinned to a Delta version, and the error when log retention has removed that
 * version.
 */
class SourceReaderTest {
  @TempDir Path dir;

  @Test
  void aVersionWhoseLogWasCleanedUpIsADataErrorNamingTableAndVersion() {
    JobContext context = TestSpark.contextWithDatabase(dir, "reader_test");
    TableName table = new TableName("reader_test", "sales");
    String location = context.warehouse().location(table);
    // Eleven commits: Delta writes a checkpoint at version 10, so versions 0-9 can be cleaned up as
    // retention does.
    for (int i = 0; i <= 10; i++) {
      context
          .spark()
          .range(i * 10L, i * 10L + 10)
          .write()
          .format("delta")
          .mode(i == 0 ? "overwrite" : "append")
          .save(location);
    }
    context.warehouse().register(table);
    SourceReader reader = new SourceReader(context.spark());
    SourceSpec source = SourceSpec.table(table);
    assertThat(reader.read("data.training", source, 3L).rows().count()).isEqualTo(40);

    File log = new File(location, "_delta_log");
    for (int version = 0; version < 10; version++) {
      assertThat(new File(log, String.format("%020d.json", version)).delete()).isTrue();
    }

    assertThatThrownBy(() -> reader.read("data.training", source, 3L))
        .isInstanceOf(DataException.class)
        .hasMessageStartingWith(
            "Cannot read reader_test.sales at version 3: that version is no longer available")
        .hasMessageEndingWith("see docs/operations.md.");
    assertThat(reader.read("data.training", source, 10L).rows().count()).isEqualTo(110);
  }
}
