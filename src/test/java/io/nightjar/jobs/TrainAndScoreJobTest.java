package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.tables.DeltaTable;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.Family;
import io.nightjar.config.Loss;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.data.DataException;
import io.nightjar.data.DemoData;
import io.nightjar.model.Predictions;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelVersion;
import io.nightjar.scoring.PredictionTable;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One model trained once and scored on several days; the tests run in order because each builds on
 * the tables the previous one left (training is the expensive part of the suite).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainAndScoreJobTest {
  private static final String DB = "train_score_test";
  private static final LocalDate DAY = LocalDate.of(2024, 6, 30);
  private static final long ENTITIES = 40;

  @TempDir static Path dir;
  static JobContext context;
  static SparkSession spark;
  static ModelSpec spec;
  static TrainJob.Outcome trained;

  @BeforeAll
  static void writeTables() {
    context = TestSpark.context(dir, DB);
    spark = context.spark();
    context.warehouse().ensureDatabase(DB);
    write(new TableName(DB, "sales"), DemoData.regression(spark, 0, 600, 1, DAY));
    write(new TableName(DB, "entities"), DemoData.entities(spark, 0, ENTITIES, 2));
    spec = spec("house_model");
    trained = new TrainJob(context).run(spec, DAY);
  }

  private static void write(TableName table, Dataset<Row> rows) {
    rows.write().format("delta").mode("overwrite").save(context.warehouse().location(table));
    context.warehouse().register(table);
  }

  /**
   * A Spark job that fails (here: a data file of the training table is gone) throws Spark's checked
   * exception undeclared; the run still ends as {@code failed} with the cause, not {@code running}
   * forever.
   */
  @Test
  void aSparkFailureEndsTheRunAsFailed() throws Exception {
    TableName broken = new TableName(DB, "broken_sales");
    write(broken, DemoData.regression(spark, 0, 200, 3, DAY));
    try (var files = Files.list(Path.of(context.warehouse().location(broken)))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        Files.delete(file);
      }
    }
    ModelSpec model =
        TestSpecs.parse(
            TestSpecs.regressionYaml(
                "broken_model", DB + ".broken_sales", DB + ".entities", "predictions_broken"),
            DB);

    assertThatThrownBy(() -> new TrainJob(context).run(model, DAY))
        .hasMessageContaining(".parquet");

    List<Row> runs =
        spark
            .read()
            .format("delta")
            .load(context.warehouse().location(new TableName(DB, "runs")))
            .where(col("model_name").equalTo("broken_model"))
            .select("status", "error")
            .collectAsList();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).getString(0)).isEqualTo("failed");
    assertThat(runs.get(0).getString(1)).contains(".parquet");
  }

  private static ModelSpec spec(String name) {
    return TestSpecs.parse(
        TestSpecs.regressionYaml(name, DB + ".sales", DB + ".entities", "predictions_" + name), DB);
  }

  private static Dataset<Row> table(String name) {
    return spark.table(DB + "." + name);
  }

  @Test
  @Order(1)
  void trainRegistersAVersionWithItsMetadataAndPromotesTheFirst() throws Exception {
    ModelVersion v = context.registry().require("house_model", 1);
    assertThat(trained.version()).isEqualTo(v);
    assertThat(trained.promoted()).isTrue();
    assertThat(v.provenance().author()).isEqualTo("test-team");
    assertThat(v.recipe().task()).isEqualTo(Task.REGRESSION);
    assertThat(v.recipe().family()).isEqualTo(Family.LINEAR);
    assertThat(v.recipe().engine()).isNull();
    assertThat(v.recipe().loss()).isEqualTo(Loss.SQUARED);
    assertThat(v.recipe().params()).containsKey("reg_param");
    assertThat(v.schema().features())
        .hasSize(21)
        .contains("x1", "x20", "segment")
        .doesNotContain("id", "label", "event_time");
    assertThat(v.schema().categorical()).containsExactly("segment");
    assertThat(v.schema().idCol()).isEqualTo("id");
    assertThat(v.schema().label()).isEqualTo("label");
    assertThat(v.trainingData().source()).isEqualTo(DB + ".sales");
    assertThat(v.trainingData().deltaVersion()).isEqualTo(0L);
    assertThat(v.trainingData().rows() + v.trainingData().holdoutRows()).isEqualTo(600);
    assertThat(v.trainingData().holdoutRows()).isBetween(100L, 140L);
    assertThat(v.evaluation().cvMetric()).isEqualTo(Metric.RMSE);
    assertThat(v.evaluation().cvMean()).isBetween(1.0, 4.0);
    assertThat(v.evaluation().holdoutMetrics()).containsOnlyKeys("rmse", "mae", "r2");
    assertThat(v.evaluation().holdoutMetrics().get("r2")).isBetween(0.5, 1.0);
    assertThat(v.cost().tuningSeconds()).isPositive();
    assertThat(v.cost().trainSeconds()).isGreaterThanOrEqualTo(v.cost().tuningSeconds());
    assertThat(v.artifact().packages())
        .containsEntry("spark", "3.5.9")
        .containsEntry("delta", "3.3.2")
        .containsEntry("xgboost", "3.1.1")
        .containsEntry("java", System.getProperty("java.version"));
    assertThat(v.artifact().specYaml()).isEqualTo(spec.yaml());
    assertThat(v.artifact().specSha256()).isEqualTo(spec.sha256());
    assertThat(Path.of(v.artifact().uri()).resolve("pipeline")).isDirectory();
    assertThat(Files.readString(Path.of(v.artifact().uri()).resolve("spec.yaml")))
        .isEqualTo(spec.yaml());
    // The table keeps the spec spellings of the typed parts.
    Row stored =
        table("model_versions")
            .where(col("model_name").equalTo("house_model").and(col("version").equalTo(1)))
            .select("task", "family", "engine", "loss", "cv_metric")
            .first();
    assertThat(stored.getString(0)).isEqualTo("regression");
    assertThat(stored.getString(1)).isEqualTo("linear");
    assertThat(stored.isNullAt(2)).isTrue();
    assertThat(stored.getString(3)).isEqualTo("squared");
    assertThat(stored.getString(4)).isEqualTo("rmse");

    assertThat(context.registry().aliases("house_model"))
        .isEqualTo(Map.of(ModelAliasesTable.PRODUCTION, 1, ModelAliasesTable.CANDIDATE, 1));
    List<EventKind> events =
        context.registry().history("house_model").events().stream().map(ModelEvent::event).toList();
    assertThat(events).containsExactly(EventKind.REGISTERED, EventKind.PROMOTED);
    Row run = table("runs").where(col("run_id").equalTo(v.provenance().runId())).first();
    assertThat(run.<String>getAs("status")).isEqualTo("succeeded");
    assertThat(run.<String>getAs("job")).isEqualTo("train");
    assertThat(run.getList(run.fieldIndex("stages")).stream().map(s -> ((Row) s).getString(0)))
        .contains("read", "prepare", "tune", "fit", "evaluate", "write", "register");
    assertThat(
            table("tuning_trials")
                .where(col("run_id").equalTo(v.provenance().runId()))
                .where("status = 'done'")
                .count())
        .isEqualTo(2);
  }

  @Test
  @Order(2)
  void trainingAgainForTheSameDateSpecAndDataReturnsTheSameVersion() {
    TrainJob.Outcome again = new TrainJob(context).run(spec, DAY);
    assertThat(again.reused()).isTrue();
    assertThat(again.version().version()).isEqualTo(1);
    assertThat(context.registry().versions("house_model")).hasSize(1);
  }

  @Test
  @Order(3)
  void scoreTwiceForTheSameDateKeepsOneRowPerEntity() {
    ScoreJob.Outcome first = new ScoreJob(context).run("house_model", null, DAY);
    assertThat(first.rows()).isEqualTo(ENTITIES);
    ScoreJob.Outcome again = new ScoreJob(context).run("house_model", null, DAY);
    Dataset<Row> predictions = table("predictions_house_model");
    assertThat(predictions.count()).isEqualTo(ENTITIES);
    assertThat(predictions.select("run_id").distinct().count()).isEqualTo(1);
    Row row = predictions.first();
    assertThat(row.<Integer>getAs("model_version")).isEqualTo(1);
    assertThat(row.<Date>getAs("score_date").toLocalDate()).isEqualTo(DAY);
    assertThat(row.<Long>getAs("input_version")).isEqualTo(0L);
    Timestamp scoredAt = row.getAs("scored_at");
    Timestamp validUntil = row.getAs("valid_until");
    assertThat(Duration.between(scoredAt.toInstant(), validUntil.toInstant()))
        .isEqualTo(Duration.ofDays(3));
    assertThat(predictions.columns())
        .containsExactly(
            "id",
            "prediction",
            "model_name",
            "model_version",
            "run_id",
            "score_date",
            "scored_at",
            "valid_until",
            "input_version");
    assertThat(again.table()).isEqualTo(new TableName(DB, "predictions_house_model"));
  }

  @Test
  @Order(4)
  void currentViewShowsTheLatestScoreOfEachEntity() {
    new ScoreJob(context).run("house_model", null, DAY.plusDays(1));
    assertThat(table("predictions_house_model").count()).isEqualTo(2 * ENTITIES);
    Dataset<Row> current = table("predictions_house_model_current");
    assertThat(current.count()).isEqualTo(ENTITIES);
    assertThat(current.where("is_fresh").count()).isEqualTo(ENTITIES);
    Dataset<Row> latestDay =
        table("predictions_house_model")
            .where(col("score_date").equalTo(Date.valueOf(DAY.plusDays(1))));
    TestSpark.assertSameRows(latestDay, current.drop("is_fresh"));
  }

  @Test
  @Order(6)
  void aLaterTrainingBecomesTheCandidateWhileProductionStays() {
    // One grid point: this test is about the aliases a later version gets, not about tuning.
    ModelSpec oneTrial =
        TestSpecs.parse(
            TestSpecs.regressionYaml(
                    "house_model", DB + ".sales", DB + ".entities", "predictions_house_model")
                .replace("reg_param: [0.0, 0.1]", "reg_param: [0.1]"),
            DB);
    TrainJob.Outcome nextDay = new TrainJob(context).run(oneTrial, DAY.plusDays(1));
    assertThat(nextDay.reused()).isFalse();
    assertThat(nextDay.version().version()).isEqualTo(2);
    assertThat(nextDay.promoted()).isFalse();
    assertThat(context.registry().aliases("house_model"))
        .isEqualTo(Map.of(ModelAliasesTable.PRODUCTION, 1, ModelAliasesTable.CANDIDATE, 2));
  }

  @Test
  @Order(5)
  void storedPredictionsEqualTheReloadedArtifactsPredictions() {
    ModelVersion version = context.registry().require("house_model", 1);
    var pipeline = context.artifacts().load(version);
    Dataset<Row> expected =
        Predictions.predict(pipeline, Task.REGRESSION, table("entities"))
            .select("id", "prediction")
            .orderBy("id");
    Dataset<Row> stored =
        table("predictions_house_model_current")
            .select(col("id").as("id"), col("prediction"))
            .orderBy("id");
    // The stored id column is NOT NULL; the input's is nullable: compare values, not nullability.
    expected = spark.createDataFrame(expected.collectAsList(), stored.schema());
    TestSpark.assertApproximatelyEqual(expected, stored, 1e-9);
  }

  @Test
  @Order(7)
  void scoreLaysOutEachDateByIdAndKeepsOnlyTheRetainedDates() {
    // Entities in random order: every file of a scored date holds ids from the whole range, so
    // score Z-orders it.
    write(
        new TableName(DB, "entities_shuffled"),
        DemoData.entities(spark, 0, ENTITIES, 2).orderBy(rand(3)).repartition(4));
    String yaml =
        TestSpecs.regressionYaml(
                "house_model", DB + ".sales", DB + ".entities_shuffled", "predictions_retained")
            .replace("  ttl: 3d", "  ttl: 3d\n  retention: 1d");
    ModelSpec retained = TestSpecs.parse(yaml, DB);
    // Every input file its own task, as with inputs of real size (Spark packs small files two to a
    // task here).
    spark.conf().set("spark.sql.files.maxPartitionBytes", "1k");
    ScoreJob.Outcome second;
    try {
      new ScoreJob(context).run(retained, 1, DAY);
      second = new ScoreJob(context).run(retained, 1, DAY.plusDays(1));
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
    }

    // retention 1d keeps the latest date only; every entity was scored again, so the view is that
    // date.
    Dataset<Row> predictions = table("predictions_retained");
    assertThat(predictions.select("score_date").distinct().collectAsList())
        .extracting(r -> r.getDate(0).toLocalDate())
        .containsExactly(DAY.plusDays(1));
    assertThat(table("predictions_retained_current").count()).isEqualTo(ENTITIES);
    Row run =
        table("runs").where(col("job").equalTo("score")).orderBy(col("started_at").desc()).first();
    assertThat(run.getList(run.fieldIndex("stages")).stream().map(st -> ((Row) st).getString(0)))
        .containsExactly("read", "validate", "write", "retain", "optimize");
    Row retain = (Row) run.getList(run.fieldIndex("stages")).get(3);
    assertThat(retain.getLong(2)).isEqualTo(ENTITIES);
    List<Row> history =
        DeltaTable.forPath(spark, context.warehouse().location(second.table()))
            .history(3)
            .select("operation", "operationParameters")
            .collectAsList();
    assertThat(history)
        .extracting(r -> r.getString(0))
        .containsExactly("OPTIMIZE", "MERGE", "WRITE");
    assertThat(history.get(0).<String, String>getMap(1).get("zOrderBy").get())
        .isEqualTo("[\"id\"]");
    assertThat(
            new PredictionTable(
                    context.warehouse(), second.table(), "id", DataTypes.LongType, Task.REGRESSION)
                .filesPerId(DAY.plusDays(1)))
        .isEqualTo(1);
  }

  @Test
  @Order(9)
  void aDateScoredFromEntitiesClusteredByIdNeedsNoOptimize() {
    // DemoData writes entities in id order, one id range per file: the scored files keep disjoint
    // ranges.
    ScoreJob.Outcome scored = new ScoreJob(context).run("house_model", null, DAY.plusDays(5));
    Row run =
        table("runs").where(col("job").equalTo("score")).orderBy(col("started_at").desc()).first();
    assertThat(run.getList(run.fieldIndex("stages")).stream().map(st -> ((Row) st).getString(0)))
        .containsExactly("read", "validate", "write");
    var table =
        new PredictionTable(
            context.warehouse(), scored.table(), "id", DataTypes.LongType, Task.REGRESSION);
    assertThat(table.filesPerId(DAY.plusDays(5))).isBetween(1, PredictionTable.FILES_PER_LOOKUP);
    assertThat(
            spark
                .read()
                .format("delta")
                .load(context.warehouse().location(scored.table()))
                .where("score_date = DATE'" + DAY.plusDays(5) + "'")
                .inputFiles())
        .hasSizeGreaterThan(1);
    assertThat(
            DeltaTable.forPath(spark, context.warehouse().location(scored.table()))
                .history(1)
                .first()
                .<String>getAs("operation"))
        .isEqualTo("WRITE");
  }

  @Test
  @Order(8)
  void badScoringInputsAreRefusedByNameAndWriteNothing() {
    var entities = DemoData.entities(spark, 0, ENTITIES, 2);
    write(new TableName(DB, "dup_entities"), entities.union(entities.limit(3)));
    write(new TableName(DB, "missing_feature"), entities.drop("x7"));
    write(
        new TableName(DB, "retyped_feature"), entities.withColumn("x3", col("x3").cast("string")));
    write(new TableName(DB, "no_entities"), entities.limit(0));
    String output = "predictions_refused";
    for (String[] bad :
        new String[][] {
          {
            "no_entities",
            "Cannot score model 'house_model': scoring.input (" + DB + ".no_entities) has no rows."
          },
          {
            "dup_entities",
            "Cannot score model 'house_model': id column 'id' has 3 duplicate ids in the scoring input;"
                + " each entity must appear once."
          },
          {
            "missing_feature",
            "Cannot score model 'house_model': column 'x7' is not in the scoring input; version 1"
                + " needs id, x1,"
          },
          {
            "retyped_feature",
            "Cannot score model 'house_model': feature column 'x3' has type string in the scoring"
                + " input but was numeric in training."
          }
        }) {
      ModelSpec refused =
          TestSpecs.parse(
              TestSpecs.regressionYaml("house_model", DB + ".sales", DB + "." + bad[0], output),
              DB);
      Assertions.assertThatThrownBy(() -> new ScoreJob(context).run(refused, 1, DAY))
          .isInstanceOf(DataException.class)
          .hasMessageStartingWith(bad[1]);
    }
    assertThat(context.warehouse().exists(new TableName(DB, output))).isFalse();
  }

  @Test
  @Order(20)
  void aKilledTrainRerunReusesTheTrialsItFinishedAndEndsAsAnUninterruptedRun() {
    ModelSpec resumable = spec("resumed_model");
    // Progress is printed after a trial is kept and before the next checkpoint: dying there loses
    // trial 2 only.
    PrintWriter dyingAtTrialTwo =
        new PrintWriter(Writer.nullWriter()) {
          @Override
          public void println(String line) {
            if (line.contains(" 2/2 trial")) {
              throw new IllegalStateException("killed during trial 2");
            }
          }
        };
    JobContext dying = new JobContext(TestSpark.environment(dir, DB), spark, dyingAtTrialTwo);
    assertThatThrownBy(() -> new TrainJob(dying, Duration.ZERO).run(resumable, DAY))
        .hasMessage("killed during trial 2");
    Dataset<Row> trials = table("tuning_trials").where("model_name = 'resumed_model'");
    List<Row> left = trials.collectAsList();
    assertThat(left).hasSize(1);
    String killedRun = left.get(0).getAs("run_id");

    TrainJob.Outcome rerun = new TrainJob(context, Duration.ZERO).run(resumable, DAY);
    assertThat(rerun.reused()).isFalse();
    assertThat(trials.count()).as("one row per configuration, no duplicates").isEqualTo(2);
    assertThat(trials.where(col("run_id").equalTo(rerun.version().provenance().runId())).count())
        .isEqualTo(2);
    Row reused = trials.where(col("resumed_from").equalTo(killedRun)).first();
    assertThat((String) reused.getAs("config_key")).isEqualTo(left.get(0).getAs("config_key"));
    assertThat((Double) reused.getAs("mean")).isEqualTo(left.get(0).getAs("mean"));
    // The same spec under another name, trained without interruption in writeTables(): same choice,
    // same scores.
    assertThat(rerun.version().recipe().params()).isEqualTo(trained.version().recipe().params());
    assertThat(rerun.version().evaluation()).isEqualTo(trained.version().evaluation());
  }
}
