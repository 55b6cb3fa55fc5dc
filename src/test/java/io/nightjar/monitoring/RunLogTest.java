package io.nightjar.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code runs} rows are written in the background, and are all in the table when the outermost
 * run ends.
 */
class RunLogTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 1);

  @Test
  void nestedRunsAreInTheTableWhenTheOutermostRunEnds(@TempDir Path dir) {
    JobContext context = TestSpark.context(dir, "runlog_test");
    RunLog log = context.runs();
    log.ensureTable();

    Run outer = log.start("nightly", "m", DAY);
    Run inner = log.start("train", "m", DAY);
    inner.stage("tune", 1.5, 10L);
    inner.succeed();
    Run failed = log.start("score", "m", DAY);
    failed.fail(new IllegalArgumentException("no input"));
    outer.succeed();

    List<Row> rows =
        context
            .spark()
            .read()
            .format("delta")
            .load(context.warehouse().location(new TableName("runlog_test", RunLog.TABLE)))
            .select("job", "status", "error", "stages")
            .orderBy("job")
            .collectAsList();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).getString(0)).isEqualTo("nightly");
    assertThat(rows.get(0).getString(1)).isEqualTo(RunStatus.SUCCEEDED.sqlName());
    assertThat(rows.get(1).getString(0)).isEqualTo("score");
    assertThat(rows.get(1).getString(1)).isEqualTo(RunStatus.FAILED.sqlName());
    assertThat(rows.get(1).getString(2)).isEqualTo("no input");
    assertThat(rows.get(2).getString(0)).isEqualTo("train");
    assertThat(rows.get(2).getString(1)).isEqualTo(RunStatus.SUCCEEDED.sqlName());
    assertThat(rows.get(2).getList(3)).hasSize(1);
  }

  /**
   * A row that cannot be written fails the command at its end rather than reporting a success
   * without it.
   */
  @Test
  void aRowThatCannotBeWrittenFailsTheOutermostRun(@TempDir Path dir) throws Exception {
    JobContext context = TestSpark.context(dir, "runlog_broken");
    Path table =
        Path.of(context.warehouse().location(new TableName("runlog_broken", RunLog.TABLE)));
    Files.createDirectories(table.getParent());
    Files.writeString(table, "not a table");
    RunLog log = context.runs();

    Run outer = log.start("nightly", "m", DAY);
    Run inner = log.start("train", "m", DAY);
    inner.succeed();

    assertThatThrownBy(outer::succeed).isInstanceOf(RuntimeException.class);
    // The failure is reported once: the next command's runs start afresh.
    Files.delete(table);
    Run next = log.start("score", "m", DAY);
    next.succeed();
    assertThat(context.spark().read().format("delta").load(table.toString()).count()).isEqualTo(1);
  }
}
