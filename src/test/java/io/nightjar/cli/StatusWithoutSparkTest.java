package io.nightjar.cli;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.monitoring.RunLog;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.ModelRegistryTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} in a process of its own: when the {@code alerts} table already holds what it
 * finds, it answers without starting Spark (no SparkContext is created: Spark logs its start at
 * INFO, which this test's logging keeps); when an alert must open, Spark starts and the alert is
 * written.
 */
class StatusWithoutSparkTest {
  private static final String DB = "status_nospark";
  private static final String MODEL = "quiet";
  private static final String SPARK_STARTED = "Running Spark version";

  @TempDir static Path dir;

  @Test
  void aStatusThatFindsNothingNewStartsNoSparkAndOneThatMustOpenAnAlertDoes() throws Exception {
    JobContext context = TestSpark.contextWithDatabase(dir, DB);
    context.ensureTables();
    Path models = Files.createDirectories(dir.resolve("models"));
    Path conf = CliWarehouse.writeConfig(dir, DB, models);
    Files.writeString(
        models.resolve(MODEL + ".yaml"),
        TestSpecs.oneTrialRegressionYaml(MODEL, DB, "predictions_" + MODEL, ""));
    context.registry().register(ModelRegistryTest.draft(MODEL, "sha-" + UUID.randomUUID()));
    // The first status opens missing_predictions (and creates the alerts table).
    ChildCli.Result first = ChildCli.runHere(conf, "status", "--model", MODEL);
    assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(first.out()).contains(AlertsTable.MISSING_PREDICTIONS + " since");

    Child same = status(conf, "same");

    assertThat(same.code()).as(same.log()).isEqualTo(ExitCodes.FAILURE);
    assertThat(same.out()).isEqualTo(first.out());
    assertThat(same.log()).doesNotContain(SPARK_STARTED);

    Timestamp now = new Timestamp(System.currentTimeMillis());
    context
        .spark()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    UUID.randomUUID().toString(),
                    "score",
                    MODEL,
                    Date.valueOf("2024-07-01"),
                    new Timestamp(now.getTime() - 20_000),
                    new Timestamp(now.getTime() - 10_000),
                    RunStatus.FAILED.sqlName(),
                    "injected failure",
                    List.of(),
                    null)),
            RunLog.SCHEMA)
        .write()
        .format("delta")
        .mode("append")
        .save(context.warehouse().location(new TableName(DB, RunLog.TABLE)));

    Child changed = status(conf, "changed");

    assertThat(changed.code()).as(changed.log()).isEqualTo(ExitCodes.FAILURE);
    assertThat(changed.out()).contains("run_failed since " + new Timestamp(now.getTime() - 10_000));
    assertThat(changed.log()).contains(SPARK_STARTED);
    assertThat(
            context
                .spark()
                .read()
                .format("delta")
                .load(context.warehouse().location(new TableName(DB, AlertsTable.NAME)))
                .where(col(AlertsTable.KIND).equalTo(AlertsTable.RUN_FAILED))
                .where(col(AlertsTable.RESOLVED_AT).isNull())
                .count())
        .isOne();
  }

  /** What a child JVM's {@code status} printed on stdout, its log (stderr) and exit code. */
  private record Child(int code, String out, String log, double seconds) {}

  private static Child status(Path conf, String name) throws Exception {
    Path log4j = dir.resolve("log4j2-" + name + ".properties");
    Files.writeString(
        log4j,
        Files.readString(ChildCli.testLogging())
            + "\nlogger.sparkcontext.name = org.apache.spark.SparkContext\n"
            + "logger.sparkcontext.level = info\n");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(ChildCli.command(conf, log4j, "status", "--model", MODEL))
            .redirectError(err.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    long start = System.nanoTime();
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
    double seconds = (System.nanoTime() - start) / 1e9;
    // The whole process's time, for comparison of the two ways (not asserted: machines differ).
    System.out.printf("status (%s) in a child JVM: %.1f s%n", name, seconds);
    return new Child(process.exitValue(), out, Files.readString(err), seconds);
  }
}
