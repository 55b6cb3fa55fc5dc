package io.nightjar.jobs;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.RegistryAssertions;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.data.DemoData;
import io.nightjar.data.TrainingFrame;
import io.nightjar.model.Predictions;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.ModelVersionsTable;
import io.nightjar.scoring.PredictionTable;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs of one model run at the same time, as Airflow retries and people do: two scores of one date,
 * two trains of one spec and date, a promote while a score runs. Threads in one JVM share the Spark
 * session, so their Delta commits really race. The tests run in order on one small model (training
 * is the expensive part).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConcurrentJobsTest {
  private static final String DB = "concurrent_test";
  private static final String MODEL = "contested";
  private static final String OUTPUT = "predictions_" + MODEL;
  private static final LocalDate DAY = LocalDate.of(2024, 7, 1);
  private static final long ENTITIES = 30;
  private static final String RIDGE = "[50.0]";

  /**
   * The one way a job may give up under contention (DeltaRetry, ModelRegistry): a clear "try
   * again".
   */
  private static final String GAVE_UP = "concurrent";

  @TempDir static Path dir;
  static JobContext context;
  static ExecutorService pool = Executors.newFixedThreadPool(2);

  @BeforeAll
  static void trainTheFirstVersion() {
    context = TestSpark.contextWithDatabase(dir, DB);
    write("sales", DemoData.regression(context.spark(), 0, 300, 5, DAY));
    write("entities", DemoData.entities(context.spark(), 0, ENTITIES, 6));
    new TrainJob(context).run(spec("[0.1]"), DAY);
  }

  @AfterAll
  static void stopThreads() {
    pool.shutdownNow();
  }

  private static void write(String table, Dataset<Row> rows) {
    TableName name = new TableName(DB, table);
    rows.write().format("delta").mode("overwrite").save(context.warehouse().location(name));
    context.warehouse().register(name);
  }

  /**
   * The model's spec with a {@code reg_param} grid of its own (one point keeps training cheap):
   * another grid is another spec, so another version with other predictions.
   */
  private static ModelSpec spec(String regParams) {
    String yaml =
        TestSpecs.regressionYaml(MODEL, DB + ".sales", DB + ".entities", OUTPUT)
            .replace("reg_param: [0.0, 0.1]", "reg_param: " + regParams);
    return TestSpecs.parse(yaml, DB);
  }

  @Test
  @Order(1)
  void twoScoresOfOneDateAtOnceLeaveOneRunsRowsForEachEntity() throws Exception {
    List<ScoreJob.Outcome> done = race(() -> new ScoreJob(context).run(MODEL, null, DAY));

    assertThat(done).isNotEmpty();
    Dataset<Row> day = predictions().where(col(PredictionTable.SCORE_DATE).equalTo(DAY.toString()));
    assertThat(day.count()).isEqualTo(ENTITIES);
    assertThat(day.select("id").distinct().count()).isEqualTo(ENTITIES);
    // Never a mix of the two runs: the date holds the rows of the run that committed last, all of
    // them.
    List<Row> runIds = day.select("run_id").distinct().collectAsList();
    assertThat(runIds).hasSize(1);
    Row run = table("runs").where(col("run_id").equalTo(runIds.get(0).getString(0))).first();
    assertThat(run.<String>getAs("status")).isEqualTo("succeeded");
    assertThat(table("runs").where("job = 'score' AND status = 'succeeded'").count())
        .isEqualTo(done.size());
    assertViewShowsTheLatestRowOfEachEntity();
  }

  @Test
  @Order(2)
  void twoTrainsOfOneSpecAndDateAtOnceRegisterOneVersion() throws Exception {
    // A strongly regularised spec: its version predicts differently from the first (the next test
    // needs that).
    ModelSpec spec = spec(RIDGE);
    LocalDate later = DAY.plusDays(1);
    List<TrainJob.Outcome> done = race(() -> new TrainJob(context).run(spec, later));

    assertThat(done).isNotEmpty();
    Dataset<Row> versions =
        table(ModelVersionsTable.NAME).where(col("logical_date").equalTo(later.toString()));
    assertThat(versions.count()).as("one version for one spec, date and data version").isEqualTo(1);
    int version = versions.first().<Integer>getAs("version");
    assertThat(done)
        .allSatisfy(outcome -> assertThat(outcome.version().version()).isEqualTo(version));
    assertThat(done.stream().filter(outcome -> !outcome.reused()).count())
        .as("runs that trained the version")
        .isEqualTo(1);
    assertThat(context.registry().latestVersion(MODEL)).isEqualTo(2);
    assertHistoryAndAliasesAgree();
  }

  /**
   * The score stops at its "scoring ..." line (it has resolved the version, loaded the pipeline and
   * read its input, and has not predicted or written yet) until a promote has moved production to
   * another version that predicts differently. It finishes with the version it started with, for
   * every row; the next score uses the new one.
   */
  @Test
  @Order(3)
  void aPromoteWhileAScoreRunsChangesNeitherItsVersionNorItsRows() throws Exception {
    int first = context.registry().alias(MODEL, ModelAliasesTable.PRODUCTION).orElseThrow();
    // The ridge version the concurrent trains registered: the candidate.
    int ridge = context.registry().history(MODEL).candidate().orElseThrow();
    assertThat(ridge).isNotEqualTo(first);
    CountDownLatch scoring = new CountDownLatch(1);
    CountDownLatch promoted = new CountDownLatch(1);
    JobContext paused =
        new JobContext(
            context.env(),
            context.spark(),
            new PrintWriter(pausingAt("] scoring ", scoring, promoted)));
    LocalDate during = DAY.plusDays(3);
    Future<ScoreJob.Outcome> score =
        pool.submit(() -> new ScoreJob(paused).run(MODEL, null, during));
    try {
      assertThat(scoring.await(300, TimeUnit.SECONDS))
          .as("the score reached its scoring line")
          .isTrue();
      assertThat(new PromoteJob(context).run(MODEL, ridge, "moved while scoring", DAY).promoted())
          .isTrue();
    } finally {
      promoted.countDown();
    }
    assertThat(score.get().version()).isEqualTo(first);
    LocalDate after = DAY.plusDays(4);
    assertThat(new ScoreJob(context).run(MODEL, null, after).version()).isEqualTo(ridge);

    Dataset<Row> reference = expected(first).union(expected(ridge));
    assertThat(reference.select("model_version", "expected").distinct().count())
        .as("the two versions predict differently")
        .isGreaterThan(ENTITIES);
    assertScoredBy(during, first, reference);
    assertScoredBy(after, ridge, reference);
    assertHistoryAndAliasesAgree();
    assertViewShowsTheLatestRowOfEachEntity();
  }

  /**
   * Every entity has one row of {@code date}, from {@code version}, with the prediction that
   * version's pipeline makes.
   */
  private static void assertScoredBy(LocalDate date, int version, Dataset<Row> reference) {
    Dataset<Row> day =
        predictions().where(col(PredictionTable.SCORE_DATE).equalTo(date.toString()));
    assertThat(day.count()).as("rows of %s", date).isEqualTo(ENTITIES);
    assertThat(day.select("model_version").distinct().collectAsList())
        .as("versions of %s", date)
        .extracting(row -> row.getInt(0))
        .containsExactly(version);
    long matching =
        day.join(reference, List.of("id", "model_version").toArray(String[]::new))
            .where(abs(col("prediction").minus(col("expected"))).leq(1e-9))
            .count();
    assertThat(matching)
        .as("predictions of %s made by version %d", date, version)
        .isEqualTo(ENTITIES);
  }

  /**
   * Progress output that holds the writing thread at the first line containing {@code marker} until
   * {@code release} is counted down, counting {@code reached} down when it gets there.
   */
  private static Writer pausingAt(String marker, CountDownLatch reached, CountDownLatch release) {
    StringBuilder seen = new StringBuilder();
    return new Writer() {
      @Override
      public void write(char[] text, int offset, int length) {
        seen.append(text, offset, length);
        if (reached.getCount() > 0 && seen.indexOf(marker) >= 0) {
          reached.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  /**
   * Runs {@code job} twice at the same moment and returns the outcomes of the runs that succeeded;
   * a run that failed must have failed clearly, saying that concurrent writers won and to try
   * again.
   */
  private static <T> List<T> race(Callable<T> job) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(
          pool.submit(
              () -> {
                start.await();
                return job.call();
              }));
    }
    start.countDown();
    List<T> done = new ArrayList<>();
    for (Future<T> run : runs) {
      try {
        done.add(run.get());
      } catch (ExecutionException e) {
        assertThat(e.getCause()).hasMessageContaining(GAVE_UP).hasMessageContaining("try again");
      }
    }
    return done;
  }

  /** What {@code version}'s pipeline predicts for every entity: id, model_version, expected. */
  private static Dataset<Row> expected(int version) {
    ModelVersion v = context.registry().require(MODEL, version);
    Dataset<Row> entities = TrainingFrame.withModelTypes(table("entities"), v.schema().features());
    return Predictions.predict(context.artifacts().load(v), Task.REGRESSION, entities)
        .select(
            col("id"), lit(version).as("model_version"), col(Columns.PREDICTION).as("expected"));
  }

  private static Dataset<Row> table(String name) {
    return TestSpark.readDelta(context, new TableName(DB, name));
  }

  private static Dataset<Row> predictions() {
    return table(OUTPUT);
  }

  private static void assertViewShowsTheLatestRowOfEachEntity() {
    Dataset<Row> view = context.spark().table(DB + "." + OUTPUT + PredictionTable.CURRENT_SUFFIX);
    assertThat(view.count()).isEqualTo(ENTITIES);
    String[] key = {"id", "score_date", "run_id", "model_version", "prediction"};
    TestSpark.assertSameRows(
        PredictionTable.latestPerEntity(predictions(), "id").selectExpr(key), view.selectExpr(key));
  }

  private static void assertHistoryAndAliasesAgree() {
    ModelHistory history = context.registry().history(MODEL);
    assertThat(context.registry().aliases(MODEL))
        .containsEntry(ModelAliasesTable.PRODUCTION, history.production().orElseThrow())
        .containsEntry(ModelAliasesTable.CANDIDATE, history.candidate().orElseThrow());
    RegistryAssertions.assertEachVersionRegisteredOnce(history);
  }
}
