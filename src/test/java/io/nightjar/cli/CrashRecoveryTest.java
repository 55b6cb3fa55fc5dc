package io.nightjar.cli;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.nightjar.RegistryAssertions;
import io.nightjar.TestMetastore;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.TableName;
import io.nightjar.data.DemoData;
import io.nightjar.jobs.JobContext;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.ModelVersionsTable;
import io.nightjar.scoring.PredictionTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Kills {@code nightly}, {@code score} and {@code promote} with SIGKILL in a child JVM, as a
 * scheduler runs them, each at a point where it writes (training and registering, writing
 * predictions, the gate and its commit), then reruns the command: every table still reads, nothing
 * is duplicated or half-written, the rerun succeeds, and the aliases agree with the history. The
 * kills happen in child JVMs; the reruns run in this JVM on the shared session, which runs the same
 * code and saves a JVM and Spark start each. The tests run in order on one warehouse.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryTest {
  private static final String DB = "crash_test";
  private static final String MODEL = "fragile";
  private static final String OUTPUT = "predictions_" + MODEL;
  private static final long ENTITIES = 30;
  private static final String FIRST = "2024-05-02";
  private static final String SECOND = "2024-05-03";

  /** The delays after each kill marker are random and reproducible: a failure names the seed. */
  private static final long SEED = Long.getLong("nightjar.crash.seed", 20261124L);

  /** In the environment config's spark.conf; no child may print it. */
  private static final String SECRET = "crash-test-secret-Key-7";

  @TempDir static Path dir;
  static Path conf;
  static JobContext context;
  static Random random = new Random(SEED);

  @BeforeAll
  static void setUp() throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    conf = dir.resolve("nightjar.yaml");
    Files.writeString(
        conf,
        """
        spark: {master: "local[2]", conf: {spark.sql.shuffle.partitions: "2", %s, spark.hadoop.fs.s3a.secret.key: "%s"}}
        warehouse: %s
        database: %s
        artifacts: %s
        models: %s
        """
                .formatted(
                    CliWarehouse.DELTA_CONF,
                    SECRET,
                    dir.resolve("warehouse"),
                    DB,
                    dir.resolve("artifacts"),
                    models)
            + TestMetastore.yaml());
    context = TestSpark.contextWithDatabase(dir, DB);
    LocalDate day = LocalDate.of(2024, 5, 1);
    write("sales", DemoData.regression(context.spark(), 0, 300, 3, day));
    write("entities", DemoData.entities(context.spark(), 0, ENTITIES, 4));
    write(
        "labels", DemoData.regressionOutcomes(context.spark(), 0, ENTITIES, 4, 5, day.plusDays(1)));
    Files.writeString(
        models.resolve(MODEL + ".yaml"),
        // One grid point: the trial is cheap, and the kill after it lands in the refit, the
        // artifact or the commits.
        TestSpecs.oneTrialRegressionYaml(MODEL, DB, OUTPUT, ""));
  }

  private static void write(String table, Dataset<Row> rows) {
    CliWarehouse.writeTable(context, DB, table, rows);
  }

  /**
   * The first run of a fresh warehouse creates every table, then trains; the kill lands a random
   * time after the one tuning trial: in the refit, the holdout metrics, the artifact and baseline,
   * or the registry commits.
   */
  @Test
  @Order(1)
  void nightlyKilledWhileTrainingConvergesOnRerun() throws Exception {
    killDuring(
        "nightly-killed",
        "[train " + MODEL + "] 1/1 ",
        3000,
        "nightly",
        "--model",
        MODEL,
        "--date",
        FIRST);
    assertTablesAreConsistent();

    rerun("nightly", "--model", MODEL, "--date", FIRST);
    assertTablesAreConsistent();
    assertHistoryAndAliasesAgree();
    assertDateScoredByOneRun(FIRST);
    assertThat(table(ModelVersionsTable.NAME).count()).isEqualTo(1);
    assertThat(table("runs").where("job = 'nightly' AND status = 'succeeded'").count())
        .isEqualTo(1);
    assertThat(table("runs").where("job = 'evaluate' AND status = 'succeeded'").count())
        .isEqualTo(1);
  }

  /**
   * The kill lands in the prediction, the one commit that replaces the date, the view or the
   * Z-order.
   */
  @Test
  @Order(2)
  void scoreKilledWhileWritingLeavesTheDateWholeAndConvergesOnRerun() throws Exception {
    String before = assertDateScoredByOneRun(FIRST);
    killDuring(
        "score-killed",
        "[score " + MODEL + "] scoring",
        3000,
        "score",
        "--model",
        MODEL,
        "--date",
        FIRST);
    assertTablesAreConsistent();
    assertDateScoredByOneRun(FIRST);

    rerun("score", "--model", MODEL, "--date", FIRST);
    assertTablesAreConsistent();
    assertThat(assertDateScoredByOneRun(FIRST)).isNotEqualTo(before);
    Dataset<Row> view = context.spark().table(DB + "." + OUTPUT + PredictionTable.CURRENT_SUFFIX);
    assertThat(view.count()).isEqualTo(ENTITIES);
    assertThat(view.where(col("score_date").equalTo(FIRST)).count()).isEqualTo(ENTITIES);
  }

  /**
   * A second version (trained here for another date) is the candidate; the kill lands while the
   * gate reads and scores the holdout, or as it commits its decision and moves the aliases.
   */
  @Test
  @Order(3)
  void promoteKilledDuringTheGateDecidesOnceOnRerun() throws Exception {
    rerun("train", "--model", MODEL, "--date", SECOND);
    assertThat(context.registry().history(MODEL).candidate()).contains(2);
    killDuring(
        "promote-killed", "[promote " + MODEL + "] comparing", 4000, "promote", "--model", MODEL);
    assertTablesAreConsistent();
    assertThat(decisions()).isLessThanOrEqualTo(1);

    String said = rerun("promote", "--model", MODEL);
    assertThat(said).contains(MODEL + " version 2 ");
    assertTablesAreConsistent();
    assertHistoryAndAliasesAgree();
    assertThat(decisions())
        .as("the gate decides once for candidate 2 against production 1")
        .isEqualTo(1);
  }

  /**
   * The narrowest window: a run killed after its history commit and before it moved the aliases
   * (here made by putting the aliases back as they were before the second version's commit). The
   * next promote, though it has nothing to decide, brings the aliases in line with the history.
   */
  @Test
  @Order(4)
  void aPromoteAfterAKillBetweenHistoryAndAliasesMovesTheAliases() throws Exception {
    Dataset<Row> stale =
        context
            .spark()
            .createDataFrame(
                List.of(
                    RowFactory.create(
                        MODEL,
                        ModelAliasesTable.CANDIDATE,
                        1,
                        Timestamp.valueOf("2024-05-02 00:00:00"),
                        1)),
                ModelAliasesTable.SCHEMA);
    DeltaTable.forPath(context.spark(), location(ModelAliasesTable.NAME))
        .as("t")
        .merge(stale.as("s"), "t.model_name = s.model_name AND t.alias = s.alias")
        .whenMatched()
        .updateAll()
        .execute();
    assertThat(context.registry().aliases(MODEL)).containsEntry(ModelAliasesTable.CANDIDATE, 1);

    rerun("promote", "--model", MODEL);
    assertHistoryAndAliasesAgree();
    assertThat(context.registry().aliases(MODEL)).containsEntry(ModelAliasesTable.CANDIDATE, 2);
  }

  /**
   * Starts {@code args} in a child JVM and kills it a random time up to {@code maxDelayMillis}
   * after {@code marker}.
   */
  private static void killDuring(String name, String marker, int maxDelayMillis, String... args)
      throws Exception {
    Path log = dir.resolve(name + ".log");
    long delay = random.nextInt(maxDelayMillis);
    boolean killed =
        ChildCli.killAfter(
            ChildCli.start(conf, log, ChildCli.testLogging(), args), log, marker, delay, 300);
    String output = ChildCli.read(log);
    assertThat(killed)
        .as(
            "seed %d: the child finished before the kill %dms after '%s': %s",
            SEED, delay, marker, output)
        .isTrue();
    assertThat(output).doesNotContain(SECRET);
  }

  /** Reruns a command to the end in this JVM; returns its stdout. */
  private static String rerun(String... args) {
    ChildCli.Result result = ChildCli.runHere(conf, args);
    assertThat(result.code())
        .as("seed %d, %s: %s", SEED, String.join(" ", args), result.err())
        .isZero();
    assertThat(result.out() + result.err()).doesNotContain(SECRET);
    return result.out();
  }

  private static String location(String table) {
    return context.warehouse().location(new TableName(DB, table));
  }

  private static Dataset<Row> table(String name) {
    TableName table = new TableName(DB, name);
    return context.warehouse().exists(table)
        ? context.spark().read().format("delta").load(location(name))
        : context.spark().emptyDataFrame();
  }

  /** The date holds one row per entity, all written by one run; returns that run's id. */
  private static String assertDateScoredByOneRun(String date) {
    Dataset<Row> day = table(OUTPUT).where(col(PredictionTable.SCORE_DATE).equalTo(date));
    assertThat(day.count()).as("seed %d, rows of %s", SEED, date).isEqualTo(ENTITIES);
    assertThat(day.select("id").distinct().count()).isEqualTo(ENTITIES);
    List<Row> runs = day.select("run_id").distinct().collectAsList();
    assertThat(runs).as("runs that wrote %s", date).hasSize(1);
    return runs.get(0).getString(0);
  }

  /** Gate decisions (promoted or rejected) recorded for candidate 2 against production 1. */
  private static long decisions() {
    return context.registry().history(MODEL).events().stream()
        .filter(e -> e.version() == 2 && Integer.valueOf(1).equals(e.previousVersion()))
        .filter(e -> EventKind.PROMOTED.equals(e.event()) || EventKind.REJECTED.equals(e.event()))
        .count();
  }

  private static void assertHistoryAndAliasesAgree() {
    ModelHistory history = context.registry().history(MODEL);
    Map<String, Integer> aliases = context.registry().aliases(MODEL);
    assertThat(aliases)
        .as("seed %d", SEED)
        .containsEntry(ModelAliasesTable.PRODUCTION, history.production().orElseThrow())
        .containsEntry(ModelAliasesTable.CANDIDATE, history.candidate().orElseThrow());
  }

  /**
   * What must hold after any crash: readable tables, no duplicates, artifacts behind every version.
   */
  private static void assertTablesAreConsistent() {
    Dataset<Row> versions = table(ModelVersionsTable.NAME);
    if (versions.columns().length == 0) {
      return;
    }
    assertThat(versions.groupBy("model_name", "version").count().where("count > 1").count())
        .isZero();
    assertThat(
            versions
                .groupBy("model_name", "logical_date", "spec_sha256", "training_data_version")
                .count()
                .where("count > 1")
                .count())
        .as("one version per training")
        .isZero();
    for (Row version : versions.collectAsList()) {
      assertThat(Path.of(version.<String>getAs("artifact_uri")).resolve("pipeline")).isDirectory();
    }
    ModelHistory history = context.registry().history(MODEL);
    RegistryAssertions.assertEachVersionRegisteredOnce(history);
    Dataset<Row> predictions = table(OUTPUT);
    if (predictions.columns().length > 0) {
      assertThat(predictions.groupBy("id", "score_date").count().where("count > 1").count())
          .isZero();
    }
    Dataset<Row> metrics = table("model_metrics");
    if (metrics.columns().length > 0) {
      assertThat(
              metrics
                  .groupBy("model_name", "version", "logical_date", "metric")
                  .count()
                  .where("count > 1")
                  .count())
          .isZero();
    }
    table("runs").count();
    table("tuning_trials").count();
    table("feature_drift").count();
  }
}
