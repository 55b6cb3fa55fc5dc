package io.nightjar.bench;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.nightjar.TestSpark;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.config.TableName;
import io.nightjar.data.Columns;
import io.nightjar.data.DemoData;
import io.nightjar.data.Splits;
import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.TrainJob;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Issue 4's tuning benchmark: Nightjar's {@code train} against Spark ML's {@code CrossValidator}
 * over {@code GBTRegressor}, same data, same grid, same folds count, in one JVM. Friedman #1 with
 * 20 features (5 informative, noise sd 1, so the best possible RMSE is 1.0), grid max_depth [3, 5]
 * x num_trees [20, 50], learning rate 0.1, 3 folds, holdout 20% (the same id-hashed rows for both).
 * Then issue 18's limit: single-node XGBoost through its Java API doing the same cross-validation,
 * refit and holdout score on the same rows, in memory ({@link NativeXGBoostLimit}). Run with {@code
 * jobs/bench/tuning.sh [ROWS] [--no-baseline] [--no-limit]}.
 */
public final class TuningBenchmark {
  private TuningBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
    List<String> flags = List.of(args).subList(Math.min(1, args.length), args.length);
    boolean baseline = !flags.contains("--no-baseline");
    boolean runLimit = !flags.contains("--no-limit");
    Path dir = Files.createTempDirectory("nightjar-bench");
    JobContext context = TestSpark.context(dir, "bench");
    var spark = context.spark();
    context.warehouse().ensureDatabase("bench");
    TableName table = new TableName("bench", "friedman");
    Friedman.rows(spark, rows)
        .write()
        .format("delta")
        .mode("overwrite")
        .save(context.warehouse().location(table));
    context.warehouse().register(table);

    ModelSpec spec =
        SpecLoader.parse(
            Friedman.spec("bench_friedman", Friedman.ISSUE_GRID), "benchmark spec", "bench");
    // Creating Nightjar's own tables happens once per warehouse, not per train: timed apart, as a
    // nightly run sees it.
    long started = System.nanoTime();
    context.ensureTables();
    System.out.printf(
        "creating Nightjar's tables (once per warehouse, not timed below): %.1f s%n",
        (System.nanoTime() - started) / 1e9);
    started = System.nanoTime();
    TrainJob.Outcome nightjar = new TrainJob(context).run(spec, LocalDate.of(2024, 1, 2));
    double nightjarSeconds = (System.nanoTime() - started) / 1e9;
    double nightjarRmse = nightjar.version().evaluation().holdoutMetrics().get("rmse");
    System.out.printf(
        "nightjar train: %.1f s, holdout rmse %.4f, best %s%n",
        nightjarSeconds, nightjarRmse, nightjar.version().recipe().params());
    // Where the time went: the stages the run recorded, then the Delta commits on tuning_trials.
    Row run =
        spark
            .table("bench.runs")
            .where(col("run_id").equalTo(nightjar.version().provenance().runId()))
            .first();
    StringBuilder stages = new StringBuilder();
    for (Row stage : run.<Row>getList(run.fieldIndex("stages"))) {
      stages.append(String.format("%s %.1fs, ", stage.getString(0), stage.getDouble(1)));
    }
    System.out.printf("nightjar stages: %s%n", stages);
    for (Row trial :
        spark
            .table("bench.tuning_trials")
            .orderBy("trial_id")
            .select("params", "fold_values")
            .collectAsList()) {
      System.out.printf("  nightjar trial %s: fold rmse %s%n", trial.getMap(0), trial.getList(1));
    }
    System.out.printf(
        "tuning_trials commits: %d; peak heap %.2f GiB%n",
        DeltaTable.forName(spark, "bench.tuning_trials").history().count() - 1,
        peakHeapBytes() / Math.pow(1024, 3));

    Dataset<Row> labelled = spark.table("bench.friedman").withColumn(Columns.LABEL, col("label"));
    Splits splits = Splits.of(labelled, "id", null, 0.2, 3, 42L);
    List<String> features = new ArrayList<>();
    for (int i = 1; i <= DemoData.FEATURES; i++) {
      features.add("x" + i);
    }
    double[] crossValidator = baseline ? crossValidator(splits, features) : null;
    NativeXGBoostLimit.Outcome limit = runLimit ? limit(splits, features) : null;
    if (crossValidator != null) {
      System.out.printf(
          "| %d | %.1f | %.4f | %.1f | %.4f | %.1fx | %.3f |%n",
          rows,
          nightjarSeconds,
          nightjarRmse,
          crossValidator[0],
          crossValidator[1],
          crossValidator[0] / nightjarSeconds,
          nightjarRmse / crossValidator[1]);
    }
    if (limit != null) {
      System.out.printf(
          "train / limit: %.1fx; holdout rmse train / CrossValidator: %s, limit / CrossValidator:"
              + " %s, train / limit: %.3f%n",
          nightjarSeconds / limit.seconds(),
          crossValidator == null ? "not run" : "%.3f".formatted(nightjarRmse / crossValidator[1]),
          crossValidator == null
              ? "not run"
              : "%.3f".formatted(limit.holdoutRmse() / crossValidator[1]),
          nightjarRmse / limit.holdoutRmse());
      // rows | train s | limit s | train / limit | train rmse | limit rmse | CV s | CV rmse |
      // train rmse / CV rmse | limit rmse / CV rmse
      System.out.printf(
          "| %,d | %.1f | %.1f | %.1fx | %.4f | %.4f | %s | %s | %s | %s |%n",
          rows,
          nightjarSeconds,
          limit.seconds(),
          nightjarSeconds / limit.seconds(),
          nightjarRmse,
          limit.holdoutRmse(),
          crossValidator == null ? "not run" : "%.1f".formatted(crossValidator[0]),
          crossValidator == null ? "" : "%.4f".formatted(crossValidator[1]),
          crossValidator == null ? "" : "%.3f".formatted(nightjarRmse / crossValidator[1]),
          crossValidator == null ? "" : "%.3f".formatted(limit.holdoutRmse() / crossValidator[1]));
    }
  }

  /**
   * The native limit ({@link NativeXGBoostLimit}) on the same tuning rows, folds and holdout: the
   * rows are collected to arrays first, untimed.
   */
  private static NativeXGBoostLimit.Outcome limit(Splits splits, List<String> features)
      throws Exception {
    long started = System.nanoTime();
    NativeXGBoostLimit.Rows tuning =
        NativeXGBoostLimit.collect(splits.tuning(), features, Columns.LABEL, Columns.FOLD);
    NativeXGBoostLimit.Rows holdout =
        NativeXGBoostLimit.collect(splits.holdout(), features, Columns.LABEL, null);
    System.out.printf(
        "collecting %d tuning and %d holdout rows to arrays for the limit (not timed): %.1f s%n",
        tuning.rows(), holdout.rows(), (System.nanoTime() - started) / 1e9);
    // As many threads as local Spark has task slots, the cores Nightjar's train uses.
    int nthread = SparkSession.active().sparkContext().defaultParallelism();
    NativeXGBoostLimit.Outcome limit =
        NativeXGBoostLimit.run(tuning, holdout, splits.folds(), nthread);
    System.out.printf(
        "native xgboost limit (cv + refit, single node): %.1f s, holdout rmse %.4f%n",
        limit.seconds(), limit.holdoutRmse());
    System.out.printf(
        "limit detail: cv %.1f s, refit + holdout %.1f s, nthread %d, best max_depth=%d"
            + " num_trees=%d (cv rmse %.4f)%n",
        limit.cvSeconds(),
        limit.refitSeconds(),
        nthread,
        limit.maxDepth(),
        limit.numTrees(),
        limit.cvRmse());
    System.out.print(limit.describe());
    return limit;
  }

  /**
   * Spark ML's {@code CrossValidator} over {@code GBTRegressor} on the same tuning rows and
   * holdout; returns its seconds and holdout RMSE.
   */
  private static double[] crossValidator(Splits splits, List<String> features) {
    Dataset<Row> train = splits.tuning().drop(Columns.FOLD).cache();
    Dataset<Row> holdout = splits.holdout().cache();
    train.count();
    holdout.count();
    VectorAssembler assembler =
        new VectorAssembler()
            .setInputCols(features.toArray(String[]::new))
            .setOutputCol("features");
    GBTRegressor gbt = new GBTRegressor().setLabelCol("label").setStepSize(0.1).setSeed(42L);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, gbt});
    ParamMap[] grid =
        new ParamGridBuilder()
            .addGrid(gbt.maxDepth(), new int[] {3, 5})
            .addGrid(gbt.maxIter(), new int[] {20, 50})
            .build();
    RegressionEvaluator rmse = new RegressionEvaluator().setLabelCol("label").setMetricName("rmse");
    CrossValidator cv =
        new CrossValidator()
            .setEstimator(pipeline)
            .setEstimatorParamMaps(grid)
            .setEvaluator(rmse)
            .setNumFolds(3)
            .setParallelism(2)
            .setSeed(42L);
    long started = System.nanoTime();
    CrossValidatorModel model = cv.fit(train);
    double seconds = (System.nanoTime() - started) / 1e9;
    double holdoutRmse = rmse.evaluate(model.transform(holdout));
    System.out.printf(
        "spark CrossValidator(GBTRegressor, parallelism 2): %.1f s, holdout rmse %.4f%n",
        seconds, holdoutRmse);
    System.out.printf(
        "peak heap after the baseline: %.2f GiB%n", peakHeapBytes() / Math.pow(1024, 3));
    train.unpersist();
    holdout.unpersist();
    return new double[] {seconds, holdoutRmse};
  }

  /**
   * The sum of the heap pools' peak usage since the JVM started (an upper bound of the peak heap in
   * use).
   */
  private static long peakHeapBytes() {
    long peak = 0;
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
