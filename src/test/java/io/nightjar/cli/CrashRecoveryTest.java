package io.nightjar.cli;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.TableName;
import io.nightjar.data.DemoData;
import io.nightjar.jobs.JobContext;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.RegistryTables;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code nightly} (train → gate → score → evaluate) with SIGKILL at points in its run, in a child JVM as a
 * scheduler would run it, then reruns it: every table still reads, nothing is duplicated or half-written, the rerun
 * succeeds, and the aliases agree with the history.
 */
class CrashRecoveryTest {
  private static final String DB = "crash_test";
  private static final String MODEL = "fragile";
  private static final long ENTITIES = 50;
  /** Random kill times are reproducible: a failure names the seed. */
  private static final long SEED = Long.getLong("nightjar.crash.seed", 20261124L);

  @TempDir static Path dir;
  static Path conf;
  static JobContext context;

  @BeforeAll
  static void setUp() throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    conf = dir.resolve("nightjar.yaml");
    Files.writeString(
        conf,
        """
        spark: {master: "local[2]", conf: {spark.sql.shuffle.partitions: "2"}}
        warehouse: %s
        database: %s
        artifacts: %s
        models: %s
        """
            .formatted(dir.resolve("warehouse"), DB, dir.resolve("artifacts"), models));
    context = TestSpark.context(dir, DB);
    context.warehouse().ensureDatabase(DB);
    LocalDate day = LocalDate.of(2024, 5, 1);
    write("sales", DemoData.regression(context.spark(), 0, 500, 3, day));
    write("entities", DemoData.entities(context.spark(), 0, ENTITIES, 4));
    write("labels", DemoData.regressionOutcomes(context.spark(), 0, ENTITIES, 4, 5, day.plusDays(1)));
    Files.writeString(
        models.resolve(MODEL + ".yaml"),
        TestSpecs.regressionYaml(MODEL, DB + ".sales", DB + ".entities", "predictions_" + MODEL)
            + "monitoring: {labels: {table: " + DB + ".labels}}\n");
  }

  private static void write(String table, Dataset<Row> rows) {
    TableName name = new TableName(DB, table);
    rows.write().format("delta").mode("overwrite").save(context.warehouse().location(name));
    context.warehouse().register(name);
  }

  /** Starts the CLI in a child JVM; its stderr goes to {@code log}. */
  private static Process start(Path log, String... args) throws Exception {
    String opens = Files.readString(Path.of("target/classes/nightjar/java-opens.txt")).trim();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(opens.split("\\s+")));
    command.addAll(List.of("-Xmx1g", "-Dlog4j2.configurationFile=src/test/resources/log4j2-test.properties",
        "-cp", System.getProperty("java.class.path"), NightjarCli.class.getName(), "--conf-file", conf.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(
        ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.start();
  }

  /** Kills the child with SIGKILL once {@code marker} appears in its log, or after {@code seconds}, whichever is first. */
  private static void killAt(Process child, Path log, String marker, double seconds) throws Exception {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (child.isAlive() && System.nanoTime() < deadline) {
      if (marker != null && Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(marker)) {
        break;
      }
      Thread.sleep(100);
    }
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private static void runToTheEnd(String date) throws Exception {
    Path log = dir.resolve("rerun-" + date + ".log");
    Process rerun = start(log, "nightly", "--model", MODEL, "--date", date);
    assertThat(rerun.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(rerun.exitValue()).as(Files.readString(log)).isZero();
  }

  @Test
  void nightlyKilledAtAnyPointConvergesOnRerun() throws Exception {
    Random random = new Random(SEED);
    // Each kill lands in a different part of the run: a random moment (startup, reading, tuning, registering), then
    // right after scoring began (the gate and training done).
    List<String> dates = List.of("2024-05-02", "2024-05-03");
    List<String> markers = List.of("", "[score " + MODEL + "] scoring");
    for (int i = 0; i < dates.size(); i++) {
      Path log = dir.resolve("killed-" + i + ".log");
      Process child = start(log, "nightly", "--model", MODEL, "--date", dates.get(i));
      double seconds = markers.get(i).isEmpty() ? 6 + 20 * random.nextDouble() : 180;
      killAt(child, log, markers.get(i).isEmpty() ? null : markers.get(i), seconds);
      assertTablesAreConsistent();
      runToTheEnd(dates.get(i));
      assertTablesAreConsistent();
      ModelHistory history = context.registry().history(MODEL);
      assertThat(context.registry().aliases(MODEL))
          .containsEntry(RegistryTables.PRODUCTION, history.production().orElseThrow())
          .containsEntry(RegistryTables.CANDIDATE, history.candidate().orElseThrow());
      Dataset<Row> predictions = context.spark().read().format("delta")
          .load(context.warehouse().location(new TableName(DB, "predictions_" + MODEL)))
          .where(col("score_date").equalTo(dates.get(i)));
      assertThat(predictions.count()).as("seed %d, date %s", SEED, dates.get(i)).isEqualTo(ENTITIES);
      assertThat(predictions.select("id").distinct().count()).isEqualTo(ENTITIES);
    }
    Dataset<Row> versions = table(RegistryTables.MODEL_VERSIONS);
    // One version per training date (the spec and data do not change between dates).
    assertThat(versions.count()).isEqualTo(dates.size());
    Dataset<Row> nightly = table("runs").where(col("job").equalTo("nightly").and(col("status").equalTo("succeeded")));
    assertThat(nightly.count()).isEqualTo(dates.size());
  }

  private static Dataset<Row> table(String name) {
    TableName table = new TableName(DB, name);
    return context.warehouse().exists(table)
        ? context.spark().read().format("delta").load(context.warehouse().location(table))
        : context.spark().emptyDataFrame();
  }

  /** What must hold after any crash: readable tables, no duplicates, aliases that follow the history. */
  private static void assertTablesAreConsistent() {
    Dataset<Row> versions = table(RegistryTables.MODEL_VERSIONS);
    if (versions.columns().length == 0) {
      return;
    }
    assertThat(versions.groupBy("model_name", "version").count().where("count > 1").count()).isZero();
    assertThat(versions.groupBy("model_name", "logical_date", "spec_sha256", "training_data_version").count()
        .where("count > 1").count()).as("one version per training").isZero();
    for (Row version : versions.collectAsList()) {
      assertThat(Path.of(version.<String>getAs("artifact_uri")).resolve("pipeline")).isDirectory();
    }
    ModelHistory history = context.registry().history(MODEL);
    assertThat(history.events().stream().filter(e -> ModelEvent.REGISTERED.equals(e.event()))
        .map(ModelEvent::version).toList()).doesNotHaveDuplicates();
    Dataset<Row> predictions = table("predictions_" + MODEL);
    if (predictions.columns().length > 0) {
      assertThat(predictions.groupBy("id", "score_date").count().where("count > 1").count()).isZero();
    }
    Dataset<Row> metrics = table("model_metrics");
    if (metrics.columns().length > 0) {
      assertThat(metrics.groupBy("model_name", "version", "logical_date", "metric").count().where("count > 1")
          .count()).isZero();
    }
    table("runs").count();
    table("tuning_trials").count();
    table("feature_drift").count();
  }
}
