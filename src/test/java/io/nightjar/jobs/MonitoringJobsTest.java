package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.data.DemoData;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.registry.ArtifactStore;
import io.nightjar.registry.EventKind;
import io.nightjar.training.HoldoutDiagnostics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nightly runs of one model over three days with labels arriving a day late: metrics on late labels
 * equal a hand computation, reruns replace, a shifted input raises drift alerts, biased outcomes
 * raise a degradation alert, and status says when a person is needed. Ordered: each day builds on
 * the tables of the one before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringJobsTest {
  private static final String DB = "monitoring_test";
  private static final String MODEL = "watched";
  private static final LocalDate DAY1 = LocalDate.of(2024, 3, 1);
  private static final LocalDate DAY2 = DAY1.plusDays(1);
  private static final LocalDate DAY3 = DAY1.plusDays(2);
  private static final long ENTITIES = 300;

  @TempDir static Path dir;
  static JobContext context;
  static ModelSpec spec;

  @BeforeAll
  static void setUp() {
    context = TestSpark.contextWithDatabase(dir, DB);
    var spark = context.spark();
    write("sales", DemoData.regression(spark, 10_000, 800, 1, DAY1));
    write("entities", DemoData.entities(spark, 0, ENTITIES, 2));
    write("labels", DemoData.regressionOutcomes(spark, 0, 0, 2, 9, DAY1));
    // One grid point: the nights are about monitoring, not tuning; each train fits half as often.
    String yaml =
        TestSpecs.oneTrialRegressionYaml(
            MODEL, DB, "predictions_" + MODEL, ", drift_psi_alert: 0.2, degradation_factor: 1.25");
    spec = TestSpecs.parse(yaml, DB);
  }

  private static void write(String table, Dataset<Row> rows) {
    save(table, rows, "overwrite");
  }

  /** Labels only ever arrive: the labels table is appended to, as a real one would be. */
  private static void arrive(Dataset<Row> labels) {
    save("labels", labels, "append");
  }

  private static void save(String table, Dataset<Row> rows, String mode) {
    TableName name = new TableName(DB, table);
    rows.write().format("delta").mode(mode).save(context.warehouse().location(name));
    context.warehouse().register(name);
  }

  private static Dataset<Row> table(String name) {
    return context.spark().table(DB + "." + name).where(col("model_name").equalTo(MODEL));
  }

  @Test
  @Order(1)
  void theFirstNightTrainsScoresAndHasNoLabelsYet() {
    NightlyJob.Outcome night = new NightlyJob(context).run(spec, DAY1);

    assertThat(night.trained().version().version()).isEqualTo(1);
    assertThat(night.gate().event()).isNull();
    assertThat(night.scored().rows()).isEqualTo(ENTITIES);
    assertThat(night.evaluated().labelledRows()).isZero();
    assertThat(night.evaluated().drift())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.<Boolean>getAs("alert")).isFalse());
    var status = new StatusJob(context).run(MODEL).get(0);
    assertThat(status.problems()).isEmpty();
    assertThat(status.fresh()).isTrue();
    assertThat(status.lastRuns())
        .anySatisfy(run -> assertThat(run).startsWith("nightly succeeded 2024-03-01"));
  }

  @Test
  @Order(2)
  void metricsOnLateLabelsEqualAHandComputationAndARerunReplacesThem() {
    arrive(DemoData.regressionOutcomes(context.spark(), 0, ENTITIES, 2, 9, DAY2));

    EvaluateJob.Outcome first = new EvaluateJob(context).run(spec, DAY2);
    EvaluateJob.Outcome again = new EvaluateJob(context).run(spec, DAY2);

    Map<Long, Double> predicted = new HashMap<>();
    for (Row row : table("predictions_" + MODEL).collectAsList()) {
      predicted.put(row.<Long>getAs("id"), row.<Double>getAs("prediction"));
    }
    double squares = 0;
    double absolute = 0;
    List<Row> labels = context.spark().table(DB + ".labels").collectAsList();
    for (Row row : labels) {
      double residual = row.<Double>getAs("label") - predicted.get(row.<Long>getAs("id"));
      squares += residual * residual;
      absolute += Math.abs(residual);
    }
    assertThat(first.labelledRows()).isEqualTo(ENTITIES);
    Dataset<Row> stored =
        table(ModelMetricsTable.NAME).where(col("logical_date").equalTo(Date.valueOf(DAY2)));
    assertThat(stored.count()).isEqualTo(3);
    Map<String, Double> values = new HashMap<>();
    stored.collectAsList().forEach(r -> values.put(r.getAs("metric"), r.getAs("value")));
    assertThat(values.get("rmse")).isCloseTo(Math.sqrt(squares / labels.size()), within(1e-9));
    assertThat(values.get("mae")).isCloseTo(absolute / labels.size(), within(1e-9));
    assertThat(again.metrics()).hasSize(3);
    assertThat(stored.where(col("alert")).count()).isZero();
  }

  @Test
  @Order(3)
  void aShiftedScoringInputRaisesDriftAlertsAndStatusAsksForAPerson() {
    write(
        "entities",
        DemoData.entities(context.spark(), 0, ENTITIES, 3).withColumn("x1", col("x1").plus(2.0)));

    NightlyJob.Outcome night = new NightlyJob(context).run(spec, DAY2);

    // Same data, same spec, new date: an identical second version, which cannot beat the first.
    assertThat(night.trained().version().version()).isEqualTo(2);
    assertThat(night.gate().event()).isEqualTo(EventKind.REJECTED);
    Dataset<Row> drift =
        table(FeatureDriftTable.NAME).where(col("logical_date").equalTo(Date.valueOf(DAY2)));
    Map<String, Row> byFeature = new HashMap<>();
    drift.collectAsList().forEach(r -> byFeature.put(r.getAs("feature"), r));
    assertThat(byFeature.get("x1").<Boolean>getAs("alert")).isTrue();
    assertThat(byFeature.get("x1").<Double>getAs("psi")).isGreaterThan(1.0);
    assertThat(byFeature.get("x2").<Boolean>getAs("alert")).isFalse();
    assertThat(byFeature).containsKey(FeatureDriftTable.PREDICTION_FEATURE);
    var status = new StatusJob(context).run(MODEL).get(0);
    assertThat(status.healthy()).isFalse();
    assertThat(status.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("drift since 2024-03-02")
                    .contains("x1 drifted on 2024-03-02"));
  }

  @Test
  @Order(4)
  void biasedOutcomesRaiseADegradationAlert() {
    write("entities", DemoData.entities(context.spark(), 0, ENTITIES, 3));
    new ScoreJob(context).run(spec, null, DAY2);
    arrive(
        DemoData.regressionOutcomes(context.spark(), 0, ENTITIES, 3, 11, DAY3)
            .withColumn("label", col("label").plus(15.0)));

    EvaluateJob.Outcome outcome = new EvaluateJob(context).run(spec, DAY3);

    Row rmse =
        outcome.metrics().stream()
            .filter(r -> "rmse".equals(r.getAs("metric")))
            .findFirst()
            .orElseThrow();
    assertThat(rmse.<Boolean>getAs("alert")).isTrue();
    assertThat(rmse.<Double>getAs("value"))
        .isGreaterThan(1.25 * rmse.<Double>getAs("holdout_value"));
    assertThat(new StatusJob(context).run(MODEL).get(0).problems())
        .anySatisfy(p -> assertThat(p).startsWith("degradation since").contains("version 1 rmse"));
  }

  @Test
  @Order(5)
  void rerunningANightLeavesTheSameTables() {
    long predictions = table("predictions_" + MODEL).count();
    long metrics = table(ModelMetricsTable.NAME).count();
    long versions = context.registry().versions(MODEL).size();

    new NightlyJob(context).run(spec, DAY2);

    assertThat(table("predictions_" + MODEL).count()).isEqualTo(predictions);
    assertThat(table(ModelMetricsTable.NAME).count()).isEqualTo(metrics);
    assertThat(context.registry().versions(MODEL)).hasSize((int) versions);
  }

  @Test
  @Order(6)
  void trainWroteItsReportAndReportWritesBothFromTheTables() throws Exception {
    Path training =
        context.env().reportsDir().resolve(MODEL).resolve("v1").resolve("training.html");
    assertThat(training).as("train writes the report of the version it registers").exists();
    var diagnostics =
        HoldoutDiagnostics.fromJson(
            context
                .artifacts()
                .loadDocument(context.registry().require(MODEL, 1), ArtifactStore.DIAGNOSTICS)
                .orElseThrow());
    // Friedman #1: 10 x4 is part of the label; x6..x20 are noise the model should not rely on.
    double x4 = diagnostics.importance().get("x4");
    assertThat(x4).isGreaterThan(0.5);
    for (int i = 6; i <= DemoData.FEATURES; i++) {
      assertThat(diagnostics.importance().get("x" + i)).as("x" + i).isLessThan(x4 / 5);
    }
    assertThat(diagnostics.labels())
        .hasSameSizeAs(diagnostics.predictions())
        .hasSizeGreaterThan(100);

    ReportJob.Written written = new ReportJob(context).run(MODEL, null);

    String trainingHtml = Files.readString(written.training());
    assertThat(trainingHtml)
        .contains(
            "Model " + MODEL + " — version",
            "Tuning: rmse by configuration",
            "linear/squared",
            "Permutation importance",
            "Predicted against actual",
            "registered");
    String monitoringHtml = Files.readString(written.monitoring());
    assertThat(monitoringHtml)
        .contains(
            "rmse by day",
            "2024-03-03",
            "degraded",
            "drifted",
            "Seconds per successful job run by logical date");
    assertThat(monitoringHtml.split("data:image/png;base64,")).hasSizeGreaterThan(5);
  }
}
