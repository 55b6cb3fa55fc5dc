package io.nightjar.bench;

import io.nightjar.TestSpark;
import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.ServeConfig;
import io.nightjar.config.SpecLoader;
import io.nightjar.data.DemoData;
import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.OnlineScoring;
import io.nightjar.jobs.ScoreJob;
import io.nightjar.jobs.Serving;
import io.nightjar.jobs.TrainJob;
import io.nightjar.lookup.HttpLookup;
import io.nightjar.lookup.ServerOptions;
import io.nightjar.lookup.ServingException;
import io.nightjar.spark.SparkSessions;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * {@code serve}'s on-demand scoring, server side: trains a 100-tree depth-6 XGBoost regression on
 * Friedman #1 rows with the real {@code train} (first version, so production), scores only a few
 * other ids into its prediction table, and holds ENTITIES entities' features in memory, so every
 * {@code GET .../predictions/{id}} of an id in [0, ENTITIES) scores online. The answer cache is off
 * ({@code serve.cache_entries: 0}). Before serving it times the naive way, one entity through
 * Spark's {@code PipelineModel.transform} of a one-row DataFrame and a collect; then it serves as
 * {@code serve} wires it (prediction cache, on-demand scoring, Netty server on 127.0.0.1, any
 * port), times on-demand scoring in process without HTTP, and writes the predictions base URL to
 * PORT_FILE. {@code jobs/bench/lookup.sh online|batch} runs it and drives it with wrk at a steady
 * rate.
 *
 * <p>Arguments: ENTITIES PORT_FILE [TRAINING_ROWS, default 20000].
 */
public final class OnlineScoringBenchmark {
  private static final String MODEL = "bench_online";
  private static final int NAIVE_WARM_UP = 10;
  private static final int NAIVE_TIMED = 50;
  private static final int IN_PROCESS = 2_000;

  private OnlineScoringBenchmark() {}

  public static void main(String[] args) throws Exception {
    long entities = Long.parseLong(args[0]);
    Path portFile = Path.of(args[1]);
    long trainingRows = args.length > 2 ? Long.parseLong(args[2]) : 20_000L;
    Path dir = Files.createTempDirectory("nightjar-bench-online");
    EnvironmentConfig test = TestSpark.environment(dir, "bench");
    // The answer cache off: every request scores.
    EnvironmentConfig env =
        new EnvironmentConfig(
            test.sparkMaster(),
            test.sparkConf(),
            test.warehouse(),
            test.database(),
            test.artifacts(),
            test.modelsDir(),
            test.reportsDir(),
            test.metastore(),
            new ServeConfig(0, ServeConfig.defaults().featuresMemoryBytes()));
    SparkSession spark = SparkSessions.getOrCreate(env);
    PrintWriter log = new PrintWriter(System.err, true);
    JobContext context = new JobContext(env, spark, log);
    context.warehouse().ensureDatabase("bench");
    LocalDate day = LocalDate.of(2024, 1, 1);

    long started = System.nanoTime();
    Benchmarks.write(context, "friedman", Friedman.rows(spark, trainingRows));
    Benchmarks.write(context, "entities", DemoData.entities(spark, 0, entities, 7));
    // Precomputed rows only for ids outside [0, entities): the served ids all score online.
    Benchmarks.write(context, "precomputed", DemoData.entities(spark, entities, 10, 3));
    System.out.printf(
        "data: %d training rows, %d entities written in %.1f s%n",
        trainingRows, entities, Benchmarks.seconds(started));

    ModelSpec spec =
        SpecLoader.parse(
            """
            name: %s
            task: regression
            data: {training: {table: bench.friedman}, id: id, label: label}
            candidates:
              - {family: gbt, engine: xgboost, loss: squared,
                 grid: {max_depth: [6], num_trees: [100], learning_rate: [0.1]}}
            tuning: {folds: 2, metric: rmse, holdout: 0.1, seed: 42}
            scoring: {input: {table: bench.precomputed}, output: predictions_online, ttl: 7d}
            serving: {features: {table: bench.entities}, on_missing: score, cache_ttl: 1h}
            """
                .formatted(MODEL),
            "benchmark spec",
            "bench");
    TrainJob.Outcome trained =
        Benchmarks.train(context, spec, day, t -> ", production: " + t.promoted());
    new ScoreJob(context).run(spec, null, day);

    naiveTransform(spark, context.artifacts().load(trained.version()));

    long heapBefore = usedHeapAfterGc();
    // As serve runs it (cli/ServeCommand): the same object, the same checks every 5 s.
    started = System.nanoTime();
    Serving serving = Serving.start(context, Duration.ofSeconds(5), log);
    awaitReady(serving);
    double readySeconds = Benchmarks.seconds(started);
    long heapAfter = usedHeapAfterGc();
    System.out.printf(
        "serving state (features of %d entities, compiled model, prediction cache) ready in %.1f s;"
            + " heap %.1f MiB -> %.1f MiB: %.1f MiB, %.1f MiB per million entities%n",
        entities,
        readySeconds,
        heapBefore / 1048576.0,
        heapAfter / 1048576.0,
        (heapAfter - heapBefore) / 1048576.0,
        (heapAfter - heapBefore) / 1048576.0 * 1e6 / entities);

    inProcess(serving.online(MODEL).orElseThrow(), entities);

    HttpLookup lookup =
        HttpLookup.start(
            serving.models(),
            serving.metrics(),
            new ServerOptions(
                "127.0.0.1",
                0,
                Integer.getInteger("nightjar.bench.threads", 8),
                ServerOptions.DEFAULT_IO_THREADS,
                ServerOptions.DEFAULT_MAX_BODY,
                ServerOptions.DEFAULT_MAX_BATCH));
    String base = "http://127.0.0.1:" + lookup.port() + "/v1/models/" + MODEL + "/predictions/";
    Path written =
        Files.writeString(portFile.resolveSibling(portFile.getFileName() + ".tmp"), base);
    Files.move(written, portFile, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("serving " + base);
    Thread.currentThread().join();
  }

  /**
   * The naive way: each entity's row as a one-row DataFrame, {@code transform}, {@code collect}.
   * Prints the p50, p99 and max over {@link #NAIVE_TIMED} entities after {@link #NAIVE_WARM_UP}.
   */
  private static void naiveTransform(SparkSession spark, PipelineModel pipeline) {
    Dataset<Row> source = spark.table("bench.entities");
    StructType schema = source.schema();
    List<Row> rows =
        source.where("id < " + (NAIVE_WARM_UP + NAIVE_TIMED)).orderBy("id").collectAsList();
    double[] millis =
        Benchmarks.sortedMillis(
            NAIVE_WARM_UP,
            NAIVE_TIMED,
            i -> {
              List<Row> answer =
                  pipeline
                      .transform(spark.createDataFrame(List.of(rows.get(i)), schema))
                      .collectAsList();
              if (answer.size() != 1) {
                throw new IllegalStateException("one row in, " + answer.size() + " out");
              }
            });
    System.out.printf(
        "naive one-row transform + collect, %d entities after %d warm-up: %s%n",
        NAIVE_TIMED, NAIVE_WARM_UP, Benchmarks.percentiles(millis, "%.1f"));
  }

  /**
   * On-demand scoring without HTTP, one thread: {@code scoreEntity} of {@link #IN_PROCESS} random
   * ids after as many to warm up, so that the server's share of the HTTP latency can be told apart.
   */
  private static void inProcess(OnlineScoring scoring, long entities) {
    // The ids are drawn before the clock starts.
    Random random = new Random(1);
    long[] ids = new long[2 * IN_PROCESS];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (long) (random.nextDouble() * entities);
    }
    double[] millis =
        Benchmarks.sortedMillis(IN_PROCESS, IN_PROCESS, i -> scoring.scoreEntity(ids[i]));
    System.out.printf(
        "in-process scoreEntity, one thread, %d random ids after %d warm-up: %s%n",
        IN_PROCESS, IN_PROCESS, Benchmarks.percentiles(millis, "%.3f"));
  }

  /** Waits until the model scores an entity on demand (features loaded, production compiled). */
  private static void awaitReady(Serving serving) throws InterruptedException {
    List<String> last = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      OnlineScoring scoring = serving.online(MODEL).orElse(null);
      if (scoring != null) {
        try {
          scoring.scoreEntity(0L);
          return;
        } catch (ServingException e) {
          last = List.of(e.getMessage());
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("on-demand scoring not ready after 10 minutes: " + last);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
