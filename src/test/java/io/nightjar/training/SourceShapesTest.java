package io.nightjar.training;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.CandidateSpec;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.data.SourceReader;
import io.nightjar.data.SourceSnapshot;
import io.nightjar.data.TrainingFrame;
import io.nightjar.families.ModelFamilies;
import io.nightjar.jobs.JobContext;
import io.nightjar.model.Predictions;
import io.nightjar.registry.TrialStatus;
import io.nightjar.tuning.Trial;
import io.nightjar.tuning.TuningListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every family × engine × loss a spec may name (docs/configuration.md) trains and scores from data
 * as users have it: a Delta table, a CSV path (header, inferred types) and a Parquet path, each
 * stored as one partition and as many uneven ones (one file, and so one partition, of 1, 9, 30, 80
 * and 120 rows). The same 240 rows (numeric features with nulls, a boolean, a categorical string, a
 * timestamp, a weight) are in every source.
 *
 * <p>Each cell (family, engine, loss) trains from all three source kinds and from both shapes, in
 * three runs rather than six: the cells of a task alternate between two groups; group A reads Delta
 * and Parquet as one partition and CSV as uneven partitions, group B the other way round, so each
 * source kind × shape is also read by about half of each task's cells. Why that is enough: the
 * source kind decides the column types (what {@code TrainingFrame} checks and shapes, the same for
 * every estimator), the shape decides the lineage that every fit receives, XGBoost's barrier stage
 * above all; each cell gets every value of both.
 *
 * <p>One invocation per source, shape and task calls the trainer directly on the shared session,
 * with one spec whose candidates are the task's cells of the group: the search fits every candidate
 * on both folds, the best is refitted and measured on the holdout by {@link Trainer#train}, every
 * other one by {@link Trainer#refit}, and every model scores the source as read again, as {@code
 * score} reads its input. So a cell goes through every path into its estimator (tuning folds,
 * refit, holdout, scoring, and the calibration fits inside quantile and hinge), weighted (Delta and
 * CSV runs) and unweighted (Parquet runs). Plain XGBoost boosters are tuned in memory on
 * one-partition inputs and as distributed fits on uneven ones ({@code
 * spark.nightjar.tuning.inMemoryLimit=0}), so both tuning paths see a shape. Grids have one small
 * point and 2 folds: the test is about shapes, not model quality.
 */
class SourceShapesTest {
  private static final String DB = "shapes_test";
  private static final long ROWS = 240;

  /** The uneven source's partitions: one file each. */
  private static final long[] PIECES = {0, 1, 10, 40, 120, ROWS};

  private static final String FILES_OPEN_COST = "spark.sql.files.openCostInBytes";
  private static final String IN_MEMORY_LIMIT = "spark.nightjar.tuning.inMemoryLimit";

  @TempDir static Path dir;
  static JobContext context;
  static String openCost;

  enum Source {
    DELTA,
    CSV,
    PARQUET
  }

  enum Shape {
    ONE_PARTITION,
    UNEVEN_PARTITIONS
  }

  @BeforeAll
  static void writeSources() {
    context = TestSpark.context(dir, DB);
    SparkSession spark = context.spark();
    // Spark packs files much smaller than its open cost (4 MB) into one partition. Counting each
    // file as large keeps one partition per file, as a large input's files are.
    openCost = spark.conf().get(FILES_OPEN_COST);
    spark.conf().set(FILES_OPEN_COST, spark.conf().get("spark.sql.files.maxPartitionBytes"));
    context.warehouse().ensureDatabase(DB);
    for (Shape shape : Shape.values()) {
      Dataset<Row> rows = shape == Shape.ONE_PARTITION ? rows(0, ROWS) : uneven();
      TableName table = new TableName(DB, name(Source.DELTA, shape));
      rows.write().format("delta").save(context.warehouse().location(table));
      context.warehouse().register(table);
      rows.write().option("header", "true").csv(path(Source.CSV, shape));
      rows.write().parquet(path(Source.PARQUET, shape));
    }
  }

  @AfterAll
  static void restoreSettings() {
    context.spark().conf().set(FILES_OPEN_COST, openCost);
    context.spark().conf().unset(IN_MEMORY_LIMIT);
  }

  static Stream<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (Source source : Source.values()) {
      for (Shape shape : Shape.values()) {
        for (Task task : Task.values()) {
          out.add(Arguments.of(source, shape, task));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("matrix")
  void everyFamilyEngineAndLossTrainsAndScores(Source source, Shape shape, Task task) {
    ModelSpec spec = spec(source, shape, task);
    ModelFamilies.check(spec);
    SourceReader reader = new SourceReader(context.spark());
    SourceSnapshot training = reader.read("data.training", spec.data().training());
    assertThat(training.rows().rdd().getNumPartitions())
        .as("partitions read")
        .isEqualTo(shape == Shape.ONE_PARTITION ? 1 : PIECES.length - 1);
    if (shape == Shape.UNEVEN_PARTITIONS) {
      context.spark().conf().set(IN_MEMORY_LIMIT, "0");
    } else {
      context.spark().conf().unset(IN_MEMORY_LIMIT);
    }
    TrainingFrame frame = TrainingFrame.prepare(spec, training.rows());
    Trainer trainer = new Trainer(spec);
    TrainingResult result = trainer.train(frame, List.of(), TuningListener.NONE);

    assertThat(result.trials()).hasSize(spec.candidates().size());
    for (Trial trial : result.trials()) {
      assertThat(trial.status())
          .as("%s: %s", trial.candidate().label(), trial.error())
          .isEqualTo(TrialStatus.DONE);
      assertThat(trial.mean()).as(trial.candidate().label()).isFinite();
    }
    Dataset<Row> scoringInput = reader.read("scoring.input", spec.data().training()).rows();
    for (Trial trial : result.trials()) {
      CandidateSpec candidate = trial.candidate();
      boolean best = trial.candidateIndex() == result.best().candidateIndex();
      Trainer.Refit refit = best ? null : trainer.refit(frame, candidate, trial.params());
      Map<Metric, Double> holdout = best ? result.holdoutMetrics() : refit.holdoutMetrics();
      assertThat(holdout.get(spec.tuning().metric()))
          .as("%s holdout", candidate.label())
          .isFinite();
      PipelineModel model = best ? result.model() : refit.model();
      assertScores(
          model,
          task,
          TrainingFrame.withModelTypes(scoringInput, frame.features()),
          candidate.label());
    }
  }

  @Test
  void everyCellReadsEverySourceKindAndBothShapes() {
    for (Task task : Task.values()) {
      for (int cell = 0; cell < cells(task).size(); cell++) {
        Set<Source> sources = EnumSet.noneOf(Source.class);
        Set<Shape> shapes = EnumSet.noneOf(Shape.class);
        for (Source source : Source.values()) {
          for (Shape shape : Shape.values()) {
            if (group(source, shape) == cell % 2) {
              sources.add(source);
              shapes.add(shape);
            }
          }
        }
        assertThat(sources).as(cells(task).get(cell)).containsExactlyInAnyOrder(Source.values());
        assertThat(shapes).as(cells(task).get(cell)).containsExactlyInAnyOrder(Shape.values());
      }
    }
    assertThat(cells(Task.REGRESSION).size() + cells(Task.CLASSIFICATION).size()).isEqualTo(15);
  }

  private static void assertScores(
      PipelineModel model, Task task, Dataset<Row> input, String label) {
    Dataset<Row> scored = Predictions.predict(model, task, input);
    String bad =
        "prediction IS NULL OR isnan(prediction)"
            + (task == Task.CLASSIFICATION
                ? " OR prediction NOT IN (0, 1) OR NOT (probability BETWEEN 0 AND 1)"
                : "");
    Row counts = scored.selectExpr("count(*)", "count_if(" + bad + ")").first();
    assertThat(counts.getLong(0)).as("%s scored rows", label).isEqualTo(ROWS);
    assertThat(counts.getLong(1)).as("%s bad predictions", label).isZero();
  }

  /** The cells of {@code task}: every family, engine and loss, one small grid point each. */
  static List<String> cells(Task task) {
    List<String> out = new ArrayList<>();
    boolean regression = task == Task.REGRESSION;
    for (String loss :
        regression
            ? List.of("squared", "absolute", "huber", "quantile")
            : List.of("logistic", "hinge")) {
      String quantile = loss.equals("quantile") ? ", quantile: 0.8" : "";
      out.add("{family: linear, loss: %s%s, grid: {reg_param: [0.1]}}".formatted(loss, quantile));
      out.add(
          "{family: gbt, engine: xgboost, loss: %s%s, grid: {num_trees: [5], max_depth: [2]}}"
              .formatted(loss, quantile));
      if (List.of("squared", "absolute", "logistic").contains(loss)) {
        out.add(
            "{family: gbt, engine: mllib, loss: %s, grid: {num_trees: [3], max_depth: [2]}}"
                .formatted(loss));
      }
    }
    return out;
  }

  /**
   * Group A (0) reads Delta and Parquet as one partition and CSV as uneven partitions; group B (1)
   * the others.
   */
  static int group(Source source, Shape shape) {
    return (source.ordinal() + shape.ordinal()) % 2;
  }

  /**
   * The spec of one run: the cells of {@code task} in the group that reads {@code source} as {@code
   * shape}.
   */
  private static ModelSpec spec(Source source, Shape shape, Task task) {
    List<String> cells = cells(task);
    List<String> candidates = new ArrayList<>();
    for (int i = group(source, shape); i < cells.size(); i += 2) {
      candidates.add(cells.get(i));
    }
    boolean regression = task == Task.REGRESSION;
    String data =
        (regression ? "label: y, time: event_time" : "label: clicked")
            + (source == Source.PARQUET ? "" : ", weight: w");
    return TestSpecs.parse(
        """
        name: shapes_%s
        task: %s
        data: {training: %s, id: id, %s, features: [x1, x2, x3, flag, segment], categorical: [segment]}
        candidates:
          - %s
        tuning: {folds: 2, metric: %s, holdout: 0.2, seed: 5}
        """
            .formatted(
                task.name().toLowerCase(),
                task.name().toLowerCase(),
                training(source, shape),
                data,
                String.join("\n  - ", candidates),
                regression ? "rmse" : "logloss"),
        DB);
  }

  private static String training(Source source, Shape shape) {
    return source == Source.DELTA
        ? "{table: %s.%s}".formatted(DB, name(source, shape))
        : "{path: '%s', format: %s}".formatted(path(source, shape), source.name().toLowerCase());
  }

  private static String name(Source source, Shape shape) {
    return (source + "_" + shape).toLowerCase();
  }

  private static String path(Source source, Shape shape) {
    return dir.resolve(name(source, shape)).toString();
  }

  /** The rows in {@link #PIECES}, one partition each. */
  private static Dataset<Row> uneven() {
    Dataset<Row> out = null;
    for (int i = 0; i + 1 < PIECES.length; i++) {
      Dataset<Row> piece = rows(PIECES[i], PIECES[i + 1]);
      out = out == null ? piece : out.union(piece);
    }
    return out;
  }

  /**
   * Rows {@code [from, to)} in one partition; every value is a function of the id, so both shapes
   * hold the same rows. Regression: y = 10 sin(π x1 x2) + 5 x2 + 3 flag + segment shift + noise;
   * classification: P(clicked) rises with x1 and flag.
   */
  private static Dataset<Row> rows(long from, long to) {
    Column x1 = uniform(1);
    Column x2 = uniform(2);
    Column flag = uniform(4).gt(0.5);
    Column segmentIndex = pmod(col("id"), lit(3)).cast("int");
    Column shift = element_at(array(lit(0.0), lit(1.5), lit(-1.0)), segmentIndex.plus(1));
    Column y =
        sin(x1.multiply(x2).multiply(Math.PI))
            .multiply(10)
            .plus(x2.multiply(5))
            .plus(when(flag, 3.0).otherwise(0.0))
            .plus(shift)
            .plus(uniform(5).minus(0.5).multiply(2));
    Column logit = x1.minus(0.5).multiply(4).plus(when(flag, 1.0).otherwise(-1.0));
    Column clicked =
        when(uniform(7).lt(lit(1.0).divide(exp(logit.unary_$minus()).plus(1))), 1).otherwise(0);
    return context
        .spark()
        .range(from, to, 1, 1)
        .select(
            col("id"),
            x1.as("x1"),
            x2.as("x2"),
            when(pmod(col("id"), lit(11)).equalTo(0), lit(null)).otherwise(uniform(3)).as("x3"),
            flag.as("flag"),
            element_at(array(lit("north"), lit("south"), lit("east")), segmentIndex.plus(1))
                .as("segment"),
            timestamp_seconds(col("id").multiply(60).plus(1_714_521_600L)).as("event_time"),
            y.as("y"),
            uniform(6).plus(0.5).as("w"),
            clicked.as("clicked"));
  }

  /** A uniform value in [0, 1) drawn from the id with seed {@code k}. */
  private static Column uniform(int k) {
    return pmod(xxhash64(col("id"), lit(k)), lit(10_000)).divide(10_000.0);
  }
}
