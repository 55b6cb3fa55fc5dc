package io.nightjar.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.TableName;
import io.nightjar.data.DemoData;
import io.nightjar.jobs.JobContext;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.RunLog;
import io.nightjar.monitoring.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} names what needs a person, with since when, exits 1 for it, and keeps the {@code
 * alerts} table in line: a run left {@code running} past its expected end (as a killed process
 * leaves it), a slow run, stale predictions, a failed last run and labels that stopped arriving are
 * each flagged; an alert resolves when its condition clears; repeated checks add no row. The run
 * history is written here as a killed or slow process would have left it (rows of jobs this test
 * does not run for real), on a model trained and scored for real. The tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusAlertsTest {
  private static final String DB = "status_test";
  private static final String MODEL = "watched";
  private static final String OUTPUT = "predictions_" + MODEL;
  private static final LocalDate D1 = LocalDate.of(2024, 7, 1);

  private static final List<Row> PENDING_RUNS = new ArrayList<>();

  @TempDir static Path dir;
  static Path conf;
  static JobContext context;

  @BeforeAll
  static void setUp() throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    conf = CliWarehouse.writeConfig(dir, DB, models);
    context = TestSpark.context(dir, DB);
    context.warehouse().ensureDatabase(DB);
    write("sales", DemoData.regression(context.spark(), 0, 120, 3, D1));
    write("entities", DemoData.entities(context.spark(), 0, 10, 4));
    Files.writeString(
        models.resolve(MODEL + ".yaml"),
        TestSpecs.oneTrialRegressionYaml(
            MODEL,
            DB,
            OUTPUT,
            ", drift_psi_alert: 100, slow_run_factor: 3, labels_missing_after: 3d"));
    for (String command : List.of("train", "score")) {
      ChildCli.Result result =
          ChildCli.runHere(conf, command, "--model", MODEL, "--date", D1.toString());
      assertThat(result.code()).as(result.err()).isZero();
    }
    ChildCli.Result healthy = status();
    assertThat(healthy.code()).as(healthy.out()).isZero();
  }

  @Test
  @Order(1)
  void aRunLeftRunningIsFlaggedOnceItPassesItsExpectedEnd() {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    for (int day = 0; day < 3; day++) {
      run("evaluate", D1.plusDays(day), ago(now, 86_400 * (5 - day)), 100, RunStatus.SUCCEEDED);
    }
    // Killed an hour ago: 3 × the 100 s median (monitoring.slow_run_factor) ended 55 minutes ago.
    Timestamp killed = ago(now, 3600);
    run("evaluate", D1.plusDays(3), killed, null, RunStatus.RUNNING);
    // Started a minute ago, with the same history: not past its expected end yet.
    for (int day = 0; day < 3; day++) {
      run("reproduce", D1.plusDays(day), ago(now, 86_400 * (5 - day)), 100, RunStatus.SUCCEEDED);
    }
    run("reproduce", D1.plusDays(3), ago(now, 60), null, RunStatus.RUNNING);

    ChildCli.Result status = status();

    assertThat(status.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(status.out())
        .contains("run_stuck since " + new Timestamp(killed.getTime() + 300_000))
        .contains("evaluate of " + D1.plusDays(3) + " started at " + killed)
        .doesNotContain("reproduce of");
    assertThat(open()).containsExactly(AlertsTable.RUN_STUCK);
  }

  @Test
  @Order(2)
  void aRunSlowerThanTheFactorTimesItsMedianIsFlagged() {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    for (int day = 0; day < 3; day++) {
      run("promote", D1.plusDays(day), ago(now, 86_400 * (5 - day)), 100, RunStatus.SUCCEEDED);
    }
    run("promote", D1.plusDays(3), ago(now, 2000), 1000, RunStatus.SUCCEEDED);

    ChildCli.Result status = status();

    assertThat(status.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(status.out()).contains("promote of " + D1.plusDays(3) + " took 1000s");
    assertThat(open()).containsExactlyInAnyOrder(AlertsTable.RUN_STUCK, AlertsTable.RUN_SLOW);
  }

  @Test
  @Order(3)
  void stalePredictionsAndAFailedLastRunGiveExitOneWithSinceInJson() throws Exception {
    Timestamp expired = Timestamp.valueOf("2024-07-04 00:00:00");
    DeltaTable.forPath(context.spark(), location(OUTPUT))
        .update(Map.of("valid_until", lit(expired)));
    Timestamp now = new Timestamp(System.currentTimeMillis());
    Timestamp failedAt = ago(now, 30);
    run("rollback", D1, ago(now, 40), 10, RunStatus.FAILED);

    ChildCli.Result status = status("--format", "json");

    assertThat(status.code()).isEqualTo(ExitCodes.FAILURE);
    JsonNode alerts = new ObjectMapper().readTree(status.out()).get(0).get("alerts");
    Map<String, JsonNode> byKind = new HashMap<>();
    alerts.forEach(alert -> byKind.put(alert.get("kind").asText(), alert));
    assertThat(byKind)
        .containsOnlyKeys(
            AlertsTable.STALE_PREDICTIONS,
            AlertsTable.RUN_FAILED,
            AlertsTable.RUN_STUCK,
            AlertsTable.RUN_SLOW);
    assertThat(byKind.get(AlertsTable.STALE_PREDICTIONS).get("since").asText())
        .isEqualTo(expired.toInstant().toString());
    assertThat(byKind.get(AlertsTable.RUN_FAILED).get("since").asText())
        .isEqualTo(failedAt.toInstant().toString());
    assertThat(byKind.get(AlertsTable.RUN_FAILED).get("details").asText())
        .isEqualTo("rollback of " + D1 + " failed: injected failure");
  }

  @Test
  @Order(4)
  void labelsThatStopArrivingAreFlaggedAndAFinishedRunResolvesTheStuckOne() {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    long stuckRows = rowsOf(AlertsTable.RUN_STUCK);
    // Two more evaluated dates after the killed one: D1 .. D1+4 without a single late label.
    run("evaluate", D1.plusDays(4), ago(now, 500), 100, RunStatus.SUCCEEDED);
    run("evaluate", D1.plusDays(5), ago(now, 300), 100, RunStatus.SUCCEEDED);

    ChildCli.Result status = status();

    assertThat(status.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(status.out())
        .contains("labels_missing since " + Timestamp.valueOf(D1.plusDays(1).atStartOfDay()))
        .contains("no late label arrived since the first evaluated date " + D1);
    assertThat(open()).contains(AlertsTable.LABELS_MISSING).doesNotContain(AlertsTable.RUN_STUCK);
    assertThat(rowsOf(AlertsTable.RUN_STUCK)).isEqualTo(stuckRows);
    assertThat(
            table(AlertsTable.NAME)
                .where(
                    col("kind").equalTo(AlertsTable.RUN_STUCK).and(col("resolved_at").isNotNull()))
                .count())
        .isEqualTo(1);
  }

  @Test
  @Order(5)
  void everyAlertResolvesWhenItsConditionClearsAndRepeatedChecksAddNothing() {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    ChildCli.Result score =
        ChildCli.runHere(conf, "score", "--model", MODEL, "--date", D1.toString());
    assertThat(score.code()).as(score.err()).isZero();
    run("promote", D1.plusDays(4), ago(now, 200), 100, RunStatus.SUCCEEDED);
    run("rollback", D1.plusDays(1), ago(now, 20), 10, RunStatus.SUCCEEDED);
    run("reproduce", D1.plusDays(4), ago(now, 100), 50, RunStatus.SUCCEEDED);
    new ModelMetricsTable(context.warehouse(), DB)
        .replace(
            MODEL,
            D1.plusDays(5),
            List.of(
                ModelMetricsTable.row(MODEL, 1, D1.plusDays(5), "rmse", 1.0, 10, now, 1.0, false)));

    ChildCli.Result status = status();

    assertThat(status.code()).as(status.out()).isZero();
    assertThat(open()).isEmpty();
    Dataset<Row> alerts = table(AlertsTable.NAME);
    assertThat(alerts.select("kind").distinct().count()).isEqualTo(alerts.count());
    assertThat(alerts.where(col("resolved_at").isNull()).count()).isZero();
    long version =
        DeltaTable.forPath(context.spark(), location(AlertsTable.NAME))
            .history(1)
            .first()
            .getLong(0);

    assertThat(status().code()).isZero();
    assertThat(table(AlertsTable.NAME).count()).isEqualTo(alerts.count());
    assertThat(
            DeltaTable.forPath(context.spark(), location(AlertsTable.NAME))
                .history(1)
                .first()
                .getLong(0))
        .as("a check that finds nothing new commits nothing")
        .isEqualTo(version);
  }

  private static ChildCli.Result status(String... more) {
    appendRuns();
    List<String> args = new ArrayList<>(List.of("status", "--model", MODEL));
    args.addAll(List.of(more));
    return ChildCli.runHere(conf, args.toArray(String[]::new));
  }

  private static Timestamp ago(Timestamp now, long seconds) {
    return new Timestamp(now.getTime() - seconds * 1000);
  }

  /**
   * A runs row as a process would have left it ({@code seconds} null: still running), appended with
   * the others of the test in one commit before the next status.
   */
  private static void run(
      String job, LocalDate date, Timestamp started, Integer seconds, RunStatus status) {
    Timestamp finished =
        seconds == null ? null : new Timestamp(started.getTime() + seconds * 1000L);
    Row row =
        RowFactory.create(
            UUID.randomUUID().toString(),
            job,
            MODEL,
            Date.valueOf(date),
            started,
            finished,
            status.sqlName(),
            status == RunStatus.FAILED ? "injected failure" : null,
            List.of(),
            null);
    PENDING_RUNS.add(row);
  }

  private static void appendRuns() {
    if (!PENDING_RUNS.isEmpty()) {
      context
          .spark()
          .createDataFrame(List.copyOf(PENDING_RUNS), RunLog.SCHEMA)
          .write()
          .format("delta")
          .mode("append")
          .save(location(RunLog.TABLE));
      PENDING_RUNS.clear();
    }
  }

  private static List<String> open() {
    return table(AlertsTable.NAME)
        .where(col("model_name").equalTo(MODEL).and(col("resolved_at").isNull()))
        .select("kind")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }

  private static long rowsOf(String kind) {
    return table(AlertsTable.NAME).where(col("kind").equalTo(kind)).count();
  }

  private static void write(String table, Dataset<Row> rows) {
    CliWarehouse.writeTable(context, DB, table, rows);
  }

  private static String location(String table) {
    return context.warehouse().location(new TableName(DB, table));
  }

  private static Dataset<Row> table(String name) {
    return context.spark().read().format("delta").load(location(name));
  }
}
