package io.nightjar.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.GridKey;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.data.DemoData;
import io.nightjar.data.TrainingFrame;
import io.nightjar.spark.NativeBlas;
import io.nightjar.spark.SparkSessions;
import io.nightjar.training.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A child JVM's main: every linear loss fitted on Friedman-like data with 20 features (issue 21: a
 * native BLAS with its own thread pool crashed these fits). Each loss is fitted the way {@code
 * train} refits its winner and {@code train --reproduce} rebuilds a version ({@link
 * Trainer#refit}): one configuration on all non-holdout rows (90% of them), then its holdout
 * metrics, with no cross-validation, registry or report around it, so that the seven fits stay
 * cheap enough for the test suite. One JVM writes the data and runs the seven fits on one session.
 * Prints the BLAS, then one line per loss: {@code loss NAME seconds S holdout {metric=value, ...}}
 * with values at full precision. Used by {@code LinearLossesNativeBlasTest} and {@code
 * jobs/bench/native-blas.sh}.
 *
 * <pre>LinearLossRuns DIR ROWS [LOSS...]</pre>
 *
 * <p>With loss names ({@code squared weighted_squared absolute huber quantile logistic hinge}),
 * only those run.
 */
public final class LinearLossRuns {
  /** Loss name, task, candidate and whether the rows carry a weight column. */
  record Fit(String name, String task, String candidate, boolean weighted) {}

  static final List<Fit> FITS =
      List.of(
          new Fit(
              "squared",
              "regression",
              "{family: linear, loss: squared, grid: {reg_param: [0.01]}}",
              false),
          new Fit(
              "weighted_squared",
              "regression",
              "{family: linear, loss: squared, grid: {reg_param: [0.01]}}",
              true),
          new Fit(
              "absolute",
              "regression",
              "{family: linear, loss: absolute, grid: {reg_param: [0.01]}}",
              false),
          new Fit(
              "huber",
              "regression",
              "{family: linear, loss: huber, grid: {reg_param: [0.01], epsilon: [1.35]}}",
              false),
          new Fit(
              "quantile",
              "regression",
              "{family: linear, loss: quantile, quantile: 0.9, grid: {reg_param: [0.01]}}",
              false),
          new Fit(
              "logistic",
              "classification",
              "{family: linear, loss: logistic, grid: {reg_param: [0.01]}}",
              false),
          new Fit(
              "hinge",
              "classification",
              "{family: linear, loss: hinge, grid: {reg_param: [0.01]}}",
              false));

  private LinearLossRuns() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    long rows = Long.parseLong(args[1]);
    List<String> only = List.of(args).subList(2, args.length);
    SparkSession spark = SparkSessions.getOrCreate(EnvironmentConfig.load(writeConf(dir)));
    writeData(spark, dir.resolve("data"), rows);
    System.out.println(NativeBlas.inThisJvm().describe(System::getenv));
    for (Fit fit : FITS) {
      if (!only.isEmpty() && !only.contains(fit.name())) {
        continue;
      }
      ModelSpec spec =
          SpecLoader.parse(spec(fit, dir.resolve("data")), fit.name() + ".yaml", "nightjar");
      TrainingFrame frame =
          TrainingFrame.prepare(
              spec,
              spark
                  .read()
                  .format("delta")
                  .load(dir.resolve("data").resolve(fit.task()).toString()));
      CandidateSpec candidate = spec.candidates().get(0);
      Map<GridKey, Double> params = new TreeMap<>();
      candidate.grid().forEach((key, values) -> params.put(key, values.get(0)));
      long start = System.nanoTime();
      Trainer.Refit refit = new Trainer(spec).refit(frame, candidate, params);
      Map<String, Double> holdout = new TreeMap<>();
      refit
          .holdoutMetrics()
          .forEach((metric, value) -> holdout.put(metric.name().toLowerCase(Locale.ROOT), value));
      System.out.printf(
          "loss %s seconds %.1f rows %d holdout %s%n",
          fit.name(), (System.nanoTime() - start) / 1e9, refit.trainingRows(), holdout);
    }
    System.exit(0);
  }

  private static Path writeConf(Path dir) throws Exception {
    Files.createDirectories(dir);
    return Files.writeString(
        dir.resolve("nightjar.yaml"),
        """
        spark: {master: "local[2]", conf: {spark.sql.shuffle.partitions: "2", spark.ui.enabled: "false"}}
        warehouse: %s
        database: nightjar
        artifacts: %s
        reports: %s
        metastore: in-memory
        """
            .formatted(dir.resolve("warehouse"), dir.resolve("artifacts"), dir.resolve("reports")));
  }

  /**
   * Demo data of one day: Friedman #1 with 20 features (regression, with a weight) and a binary
   * label.
   */
  private static void writeData(SparkSession spark, Path data, long rows) {
    LocalDate day = LocalDate.of(2026, 1, 1);
    // A weight that varies with a feature, so that the weighted fit differs from the unweighted
    // one.
    Dataset<Row> regression =
        DemoData.regression(spark, 0, rows, 42, day)
            .drop("event_time")
            .withColumn("w", lit(0.5).plus(col("x1")));
    regression
        .write()
        .format("delta")
        .mode("overwrite")
        .save(data.resolve("regression").toString());
    DemoData.classification(spark, 0, rows, 43, day)
        .drop("event_time")
        .write()
        .format("delta")
        .mode("overwrite")
        .save(data.resolve("classification").toString());
  }

  static String spec(Fit fit, Path data) {
    String weight = fit.weighted() ? ", weight: w" : "";
    String metric = fit.task().equals("regression") ? "rmse" : "accuracy";
    return """
        name: blas_%s
        task: %s
        data: {training: {path: %s, format: delta}, id: id, label: label, categorical: [segment]%s}
        candidates:
          - %s
        tuning: {folds: 2, metric: %s, holdout: 0.1, seed: 42}
        """
        .formatted(
            fit.name(), fit.task(), data.resolve(fit.task()), weight, fit.candidate(), metric);
  }
}
