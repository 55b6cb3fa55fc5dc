package io.nightjar.cli;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.TableName;
import io.nightjar.data.DemoData;
import io.nightjar.jobs.JobContext;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelVersionsTable;
import io.nightjar.scoring.PredictionTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A night whose train does not produce a version still delivers fresh predictions and says so: a
 * train stopped at {@code nightly.train_deadline} (in a child JVM, as a scheduler runs it) and a
 * train that fails on its data both leave production scoring the date, nothing half-written, the
 * train's row {@code timed_out} or {@code failed}, the nightly's {@code degraded}, exit 4, and
 * {@code status} exiting 1 naming the train; a rerun does not train again and changes nothing; a
 * model without production fails as before; and the alerts resolve once a night trains again. The
 * tests run in order on one warehouse.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NightlyDeadlineTest {
  private static final String DB = "deadline_test";
  private static final String MODEL = "hurried";
  private static final String OUTPUT = "predictions_" + MODEL;
  private static final long ENTITIES = 20;
  private static final String FIRST = "2024-06-02";
  private static final String SECOND = "2024-06-03";
  private static final String THIRD = "2024-06-04";

  @TempDir static Path dir;
  static Path conf;
  static Path models;
  static JobContext context;
  static String cheapSpec;

  @BeforeAll
  static void setUp() throws Exception {
    models = Files.createDirectories(dir.resolve("models"));
    conf = CliWarehouse.writeConfig(dir, DB, models);
    context = TestSpark.context(dir, DB);
    context.warehouse().ensureDatabase(DB);
    LocalDate day = LocalDate.of(2024, 6, 1);
    write("sales", DemoData.regression(context.spark(), 0, 200, 3, day));
    write("entities", DemoData.entities(context.spark(), 0, ENTITIES, 4));
    write("labels", DemoData.regressionOutcomes(context.spark(), 0, ENTITIES, 4, 5, day));
    // The label is gone: reading it for training is a data error (exit 3 on its own).
    write("sales_broken", DemoData.regression(context.spark(), 0, 200, 3, day).drop("label"));
    cheapSpec =
        // Drift on 20 entities and slow runs on a loaded machine are not what this test is about
        // (StatusAlertsTest covers slow runs).
        TestSpecs.oneTrialRegressionYaml(
            MODEL, DB, OUTPUT, ", drift_psi_alert: 100, slow_run_factor: 100");
    spec(cheapSpec);
    ChildCli.Result first = ChildCli.runHere(conf, "nightly", "--model", MODEL, "--date", FIRST);
    assertThat(first.code()).as(first.err()).isZero();
  }

  /**
   * A cheap linear candidate that finishes, then an MLlib GBT of 500 trees (a Spark job per tree
   * level, minutes on any machine) that the deadline of 45 s stops.
   */
  @Test
  @Order(1)
  void aTrainPastItsDeadlineIsStoppedAndProductionScoresTheDate() throws Exception {
    spec(
        cheapSpec.replace(
                "    grid: {reg_param: [0.1]}\n",
                "    grid: {reg_param: [0.1]}\n"
                    + "  - {family: gbt, engine: mllib, loss: squared,"
                    + " grid: {num_trees: [500], max_depth: [3], learning_rate: [0.01]}}\n")
            + "nightly: {train_deadline: 45s}\n");
    Path log = dir.resolve("deadline.log");
    int code =
        ChildCli.finish(
            ChildCli.start(
                conf, log, ChildCli.testLogging(), "nightly", "--model", MODEL, "--date", SECOND),
            log,
            900);
    String output = ChildCli.read(log);
    assertThat(code).as(output).isEqualTo(ExitCodes.DEGRADED);
    assertThat(output)
        .contains("train stopped at its deadline of 45s (nightly.train_deadline)")
        .contains("scored " + ENTITIES + " rows with version 1");

    Row train = lastRun("train", SECOND);
    assertThat(train.<String>getAs("status")).isEqualTo("timed_out");
    assertThat(train.<String>getAs("error")).contains("deadline of 45s");
    assertThat(lastRun("nightly", SECOND).<String>getAs("status")).isEqualTo("degraded");
    assertProductionScored(SECOND);
    // Nothing half-written: no version, event or alias from the stopped train; its finished trial
    // (the linear one, which the next attempt reuses) is whole, the GBT's is absent.
    assertThat(table(ModelVersionsTable.NAME).count()).isEqualTo(1);
    assertThat(context.registry().aliases(MODEL)).containsEntry(ModelAliasesTable.PRODUCTION, 1);
    List<Row> trials =
        table("tuning_trials")
            .where(col("run_id").equalTo(train.<String>getAs("run_id")))
            .collectAsList();
    assertThat(trials)
        .allSatisfy(t -> assertThat(t.<String>getAs("family")).isEqualTo("linear"))
        .allSatisfy(t -> assertThat(t.<String>getAs("status")).isEqualTo("done"));
    // On a loaded machine the deadline may come before the linear trial ends: then none is written.
    boolean linearFinished =
        output.indexOf("[train " + MODEL + "] 1/2 ") >= 0
            && output.indexOf("[train " + MODEL + "] 1/2 ") < output.indexOf("stopping it");
    assertThat(trials).hasSize(linearFinished ? 1 : 0);
    // The night waited for the train at most the deadline and the stop's grace (60 s), not for the
    // GBT, which takes many minutes.
    Row nightly = lastRun("nightly", SECOND);
    List<Row> stages = nightly.getList(nightly.fieldIndex("stages"));
    double trainStage = stages.get(0).<Double>getAs("seconds");
    assertThat(trainStage).isLessThan(45 + 60 + 45);

    ChildCli.Result status = ChildCli.runHere(conf, "status", "--model", MODEL);
    assertThat(status.code()).isEqualTo(ExitCodes.FAILURE);
    assertThat(status.out())
        .contains("run_timed_out since")
        .contains("train of " + SECOND + " timed out")
        .contains("run_degraded since");
    assertThat(openAlerts()).contains(AlertsTable.RUN_TIMED_OUT, AlertsTable.RUN_DEGRADED);

    // The retry a scheduler might make: the date is scored, so it does not train again.
    long trainRuns = table("runs").where("job = 'train'").count();
    long alertRows = table(AlertsTable.NAME).count();
    ChildCli.Result rerun = ChildCli.runHere(conf, "nightly", "--model", MODEL, "--date", SECOND);
    assertThat(rerun.code()).as(rerun.err()).isEqualTo(ExitCodes.DEGRADED);
    assertThat(rerun.out()).contains("not training again");
    assertThat(table("runs").where("job = 'train'").count()).isEqualTo(trainRuns);
    assertProductionScored(SECOND);
    assertThat(table(AlertsTable.NAME).count()).isEqualTo(alertRows);
  }

  @Test
  @Order(2)
  void aTrainThatFailsOnItsDataLeavesProductionScoringTheDate() throws Exception {
    spec(cheapSpec.replace(DB + ".sales}", DB + ".sales_broken}"));
    ChildCli.Result night = ChildCli.runHere(conf, "nightly", "--model", MODEL, "--date", THIRD);

    assertThat(night.code()).as(night.err()).isEqualTo(ExitCodes.DEGRADED);
    assertThat(night.out()).contains("degraded, train failed: ").contains("label");
    Row train = lastRun("train", THIRD);
    assertThat(train.<String>getAs("status")).isEqualTo("failed");
    assertThat(train.<String>getAs("error")).contains("label");
    assertThat(lastRun("nightly", THIRD).<String>getAs("status")).isEqualTo("degraded");
    assertProductionScored(THIRD);
    assertThat(table(ModelVersionsTable.NAME).count()).isEqualTo(1);

    ChildCli.Result status = ChildCli.runHere(conf, "status", "--model", MODEL, "--format", "json");
    assertThat(status.code()).isEqualTo(ExitCodes.FAILURE);
    List<String> alerts = new ArrayList<>();
    new ObjectMapper()
        .readTree(status.out())
        .get(0)
        .get("alerts")
        .forEach(a -> alerts.add(a.get("kind").asText() + ": " + a.get("details").asText()));
    assertThat(alerts)
        .anySatisfy(a -> assertThat(a).startsWith("run_failed: train of " + THIRD + " failed: "));
  }

  @Test
  @Order(3)
  void aModelWithoutProductionStillFailsAsBefore() throws Exception {
    Path spec = dir.resolve("newcomer.yaml");
    Files.writeString(
        spec,
        cheapSpec
            .replace("name: " + MODEL, "name: newcomer")
            .replace(DB + ".sales}", DB + ".sales_broken}")
            .replace(OUTPUT, "predictions_newcomer"));
    ChildCli.Result night =
        ChildCli.runHere(conf, "nightly", "--model", spec.toString(), "--date", FIRST);

    assertThat(night.code()).as(night.out()).isEqualTo(ExitCodes.DATA);
    assertThat(
            table("runs")
                .where("model_name = 'newcomer' AND job = 'nightly' AND status = 'failed'")
                .count())
        .isEqualTo(1);
    assertThat(context.warehouse().exists(new TableName(DB, "predictions_newcomer"))).isFalse();
  }

  /** A night that trains again (asked to with --retrain) resolves the train's alerts. */
  @Test
  @Order(4)
  void alertsResolveWhenANightTrainsAgain() {
    spec(cheapSpec);
    ChildCli.Result night =
        ChildCli.runHere(conf, "nightly", "--model", MODEL, "--date", THIRD, "--retrain");

    assertThat(night.code()).as(night.err()).isZero();
    assertThat(lastRun("nightly", THIRD).<String>getAs("status")).isEqualTo("succeeded");
    assertThat(openAlerts()).isEmpty();
    assertThat(
            table(AlertsTable.NAME)
                .where(col("resolved_at").isNotNull())
                .select("kind")
                .as(Encoders.STRING())
                .collectAsList())
        .contains(AlertsTable.RUN_TIMED_OUT, AlertsTable.RUN_DEGRADED, AlertsTable.RUN_FAILED);
    ChildCli.Result status = ChildCli.runHere(conf, "status", "--model", MODEL);
    assertThat(status.code()).as(status.out()).isZero();
  }

  private static void spec(String yaml) {
    try {
      Files.writeString(models.resolve(MODEL + ".yaml"), yaml);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(String table, Dataset<Row> rows) {
    CliWarehouse.writeTable(context, DB, table, rows);
  }

  private static Dataset<Row> table(String name) {
    return context
        .spark()
        .read()
        .format("delta")
        .load(context.warehouse().location(new TableName(DB, name)));
  }

  private static Row lastRun(String job, String date) {
    return table("runs")
        .where(
            col("model_name")
                .equalTo(MODEL)
                .and(col("job").equalTo(job))
                .and(col("logical_date").equalTo(date)))
        .orderBy(col("started_at").desc())
        .first();
  }

  private static List<String> openAlerts() {
    return table(AlertsTable.NAME)
        .where(col("model_name").equalTo(MODEL).and(col("resolved_at").isNull()))
        .select("kind")
        .as(Encoders.STRING())
        .collectAsList();
  }

  /** The date holds one row per entity, all from production version 1 and one run. */
  private static void assertProductionScored(String date) {
    Dataset<Row> day = table(OUTPUT).where(col(PredictionTable.SCORE_DATE).equalTo(date));
    assertThat(day.count()).isEqualTo(ENTITIES);
    assertThat(day.select("id").distinct().count()).isEqualTo(ENTITIES);
    assertThat(day.select(PredictionTable.MODEL_VERSION).distinct().collectAsList())
        .extracting(r -> r.getInt(0))
        .containsExactly(1);
    assertThat(day.select(PredictionTable.RUN_ID).distinct().count()).isEqualTo(1);
  }
}
