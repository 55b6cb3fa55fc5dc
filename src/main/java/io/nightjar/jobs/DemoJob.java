package io.nightjar.jobs;

import io.nightjar.config.ConfigException;
import io.nightjar.config.Identifiers;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.config.TableName;
import io.nightjar.data.DemoData;
import io.nightjar.spark.DeltaRetry;
import io.nightjar.spark.DeltaWrites;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code demo}: writes the demo data sets into database {@code demo} and runs the nightly pipeline
 * (train, gate, score, evaluate) for each simulated day on the two demo models ({@code
 * demo_regression}, {@code demo_classification}). The first day replaces the labelled rows; each
 * later day adds its own (replacing them on a rerun). The features of the entities to score are
 * redrawn every day, and the outcomes of the entities scored the day before arrive as late labels.
 */
public final class DemoJob {
  public static final String DATABASE = "demo";
  public static final List<String> MODELS = List.of("demo_regression", "demo_classification");

  /** What the demo made: one line per model and day, and the models' specs. */
  public record Outcome(List<ModelSpec> specs, long entities, List<String> log) {}

  private final JobContext context;

  public DemoJob(JobContext context) {
    this.context = context;
  }

  public Outcome run(long rowsPerDay, int days, LocalDate lastDay) {
    check(rowsPerDay, days);
    List<ModelSpec> specs = new ArrayList<>();
    for (String model : MODELS) {
      specs.add(spec(model));
    }
    long entities = entities(rowsPerDay);
    context.warehouse().ensureDatabase(DATABASE);
    // Nightjar's own tables exist before the models' runs start side by side, rather than being
    // created by both.
    context.ensureTables();
    List<String> log = new ArrayList<>();
    Progress progress = new Progress(context.progress(), "demo", null);
    for (int d = 0; d < days; d++) {
      LocalDate day = lastDay.minusDays(days - 1L - d);
      long started = System.nanoTime();
      writeDay(day, d, rowsPerDay, entities);
      progress.say("wrote the data of %s in %.1fs", day, (System.nanoTime() - started) / 1e9);
      List<NightlyJob.Outcome> nights = nightlies(specs, day);
      for (int m = 0; m < specs.size(); m++) {
        log.add(line(day, specs.get(m), nights.get(m)));
      }
    }
    return new Outcome(specs, entities, log);
  }

  /**
   * The day's nightly run of every model, at the same time: much of a run is waiting (Delta
   * commits, job scheduling, the driver's share of a fit), so two runs on one session overlap well
   * even on two cores, and that is how Airflow runs the nightly tasks of several models. Their
   * commits to the shared registry tables race and are retried like any concurrent jobs' ({@code
   * ConcurrentJobsTest}). Returns the outcomes in the order of {@code specs}; the first failure is
   * thrown once every run has ended.
   */
  private List<NightlyJob.Outcome> nightlies(List<ModelSpec> specs, LocalDate day) {
    ExecutorService pool = Executors.newFixedThreadPool(specs.size());
    try {
      List<Future<NightlyJob.Outcome>> runs = new ArrayList<>();
      for (ModelSpec spec : specs) {
        runs.add(pool.submit(() -> new NightlyJob(context).run(spec, day)));
      }
      List<NightlyJob.Outcome> outcomes = new ArrayList<>();
      RuntimeException failure = null;
      for (Future<NightlyJob.Outcome> run : runs) {
        try {
          outcomes.add(run.get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (failure == null) {
            failure =
                cause instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(cause.getMessage(), cause);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while the demo's nightly runs of " + day + " were running", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String line(LocalDate day, ModelSpec spec, NightlyJob.Outcome night) {
    var gate = night.gate();
    var evaluated = night.evaluated();
    var trained = night.trained() == null ? null : night.trained().version();
    return String.format(
        "%s %s: %s %s; %d predictions by version %d; %s",
        day,
        spec.name(),
        trained == null
            ? "degraded (" + night.degraded() + ")"
            : "version "
                + trained.version()
                + " ("
                + TrainJob.metrics(trained.evaluation().holdoutMetrics())
                + ")",
        gate.event() == null ? "in production" : gate.event().sqlName(),
        night.scored().rows(),
        night.scored().version(),
        evaluated == null || evaluated.labelledRows() == 0
            ? "no late labels yet"
            : evaluated.labelledRows()
                + " late labels evaluated, "
                + evaluated.alerts()
                + " alerts");
  }

  /**
   * Writes the demo data of every day ending {@code lastDay}, as {@link #run} would, without
   * running any job.
   */
  public void writeData(long rowsPerDay, int days, LocalDate lastDay) {
    check(rowsPerDay, days);
    context.warehouse().ensureDatabase(DATABASE);
    for (int d = 0; d < days; d++) {
      writeDay(lastDay.minusDays(days - 1L - d), d, rowsPerDay, entities(rowsPerDay));
    }
  }

  private static void check(long rowsPerDay, int days) {
    ConfigException.check(
        rowsPerDay >= 100,
        "Invalid --rows %d: the demo needs at least 100 rows per day.",
        rowsPerDay);
    ConfigException.check(days >= 1 && days <= 366, "Invalid --days %d: use 1 to 366 days.", days);
  }

  private static long entities(long rowsPerDay) {
    return Math.max(10, rowsPerDay / 4);
  }

  private void writeDay(LocalDate day, int dayIndex, long rows, long entities) {
    var spark = context.spark();
    long firstId = dayIndex * rows + 1_000_000L;
    long seed = 1_000L + dayIndex;
    Dataset<Row> regression = DemoData.regression(spark, firstId, rows, seed, day);
    Dataset<Row> classification = DemoData.classification(spark, firstId, rows, seed + 500, day);
    if (dayIndex == 0) {
      // The first simulated day starts the history afresh: rows of later days left by an earlier
      // demo would otherwise be trained on from the first day.
      overwrite(table("regression_train"), regression);
      overwrite(table("classification_train"), classification);
    } else {
      replaceDay(table("regression_train"), regression, day);
      replaceDay(table("classification_train"), classification, day);
    }
    overwrite(
        table("regression_entities"), DemoData.entities(spark, 0, entities, 5_000L + dayIndex));
    overwrite(
        table("classification_entities"), DemoData.entities(spark, 0, entities, 6_000L + dayIndex));
    // The outcomes of the entities scored the day before arrive today: late labels for evaluate.
    if (dayIndex == 0) {
      overwrite(
          table("regression_labels"),
          DemoData.regressionOutcomes(spark, 0, 0, 5_000L, 7_000L, day));
      overwrite(
          table("classification_labels"),
          DemoData.classificationOutcomes(spark, 0, 0, 6_000L, 8_000L, day));
    } else {
      replaceDay(
          table("regression_labels"),
          DemoData.regressionOutcomes(
              spark, 0, entities, 5_000L + dayIndex - 1, 7_000L + dayIndex, day),
          day);
      replaceDay(
          table("classification_labels"),
          DemoData.classificationOutcomes(
              spark, 0, entities, 6_000L + dayIndex - 1, 8_000L + dayIndex, day),
          day);
    }
  }

  private static TableName table(String name) {
    return new TableName(DATABASE, name);
  }

  private void replaceDay(TableName table, Dataset<Row> rows, LocalDate day) {
    String predicate =
        "event_time >= TIMESTAMP "
            + Identifiers.literal(day + " 00:00:00")
            + " AND event_time < TIMESTAMP "
            + Identifiers.literal(day.plusDays(1) + " 00:00:00");
    String location = context.warehouse().location(table);
    DeltaWrites.replaceWhere("write " + table, rows, location, predicate);
    context.warehouse().register(table);
  }

  private void overwrite(TableName table, Dataset<Row> rows) {
    String location = context.warehouse().location(table);
    DeltaRetry.run(
        "write " + table, () -> rows.write().format("delta").mode("overwrite").save(location));
    context.warehouse().register(table);
  }

  /** The demo spec from the models directory, or the copy packaged in the application jar. */
  private ModelSpec spec(String model) {
    Path file = context.env().modelsDir().resolve(model + ".yaml");
    if (Files.isRegularFile(file)) {
      return SpecLoader.load(file, context.env().database());
    }
    String resource = "nightjar/models/" + model + ".yaml";
    try (InputStream in = DemoJob.class.getClassLoader().getResourceAsStream(resource)) {
      ConfigException.check(
          in != null, "Cannot find the demo spec '%s' or the packaged '%s'.", file, resource);
      return SpecLoader.parse(
          new String(in.readAllBytes(), StandardCharsets.UTF_8),
          resource,
          context.env().database());
    } catch (IOException e) {
      throw new ConfigException("Cannot read the packaged demo spec " + resource, e);
    }
  }
}
