package io.nightjar.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.data.DemoData;
import io.nightjar.registry.RegistryTables;
import io.nightjar.spark.NativeBlas;
import io.nightjar.spark.SparkSessions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A child JVM's main: every linear loss fitted through {@code nightjar train} on Friedman-like data with 20 features
 * (issue 21: a native BLAS with its own thread pool crashed these fits). One JVM writes the data and runs the seven
 * trains on one session, which costs one JVM and Spark start instead of seven. Each spec has one candidate and one
 * grid point, 2 folds and a 10% holdout, so the refit sees 90% of the rows. Prints the BLAS, then one line per loss:
 * {@code loss NAME seconds S holdout {metric=value, ...}} with values at full precision; exits with the first non-zero
 * code of a train. Used by {@code LinearLossesNativeBlasTest} and {@code jobs/bench/native-blas.sh}.
 *
 * <pre>LinearLossRuns DIR ROWS [LOSS...]</pre>
 *
 * <p>With loss names ({@code squared weighted_squared absolute huber quantile logistic hinge}), only those run.
 */
public final class LinearLossRuns {
  /** Loss name, task, candidate and whether the rows carry a weight column. */
  record Fit(String name, String task, String candidate, boolean weighted) {}

  static final List<Fit> FITS = List.of(
      new Fit("squared", "regression", "{family: linear, loss: squared, grid: {reg_param: [0.01]}}", false),
      new Fit("weighted_squared", "regression", "{family: linear, loss: squared, grid: {reg_param: [0.01]}}", true),
      new Fit("absolute", "regression", "{family: linear, loss: absolute, grid: {reg_param: [0.01]}}", false),
      new Fit("huber", "regression",
          "{family: linear, loss: huber, grid: {reg_param: [0.01], epsilon: [1.35]}}", false),
      new Fit("quantile", "regression",
          "{family: linear, loss: quantile, quantile: 0.9, grid: {reg_param: [0.01]}}", false),
      new Fit("logistic", "classification", "{family: linear, loss: logistic, grid: {reg_param: [0.01]}}", false),
      new Fit("hinge", "classification", "{family: linear, loss: hinge, grid: {reg_param: [0.01]}}", false));

  private LinearLossRuns() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]).toAbsolutePath();
    long rows = Long.parseLong(args[1]);
    List<String> only = List.of(args).subList(2, args.length);
    Path conf = writeConf(dir);
    SparkSession spark = SparkSessions.getOrCreate(EnvironmentConfig.load(conf));
    writeData(spark, dir.resolve("data"), rows);
    System.out.println(NativeBlas.inThisJvm().describe(System::getenv));
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    for (Fit fit : FITS) {
      if (!only.isEmpty() && !only.contains(fit.name())) {
        continue;
      }
      Path spec = Files.writeString(dir.resolve(fit.name() + ".yaml"), spec(fit, dir.resolve("data")));
      long start = System.nanoTime();
      int code = NightjarCli.run(new String[] {"--conf-file", conf.toString(), "train", "--model", spec.toString()},
          out, err);
      if (code != 0) {
        System.exit(code);
      }
      System.out.printf("loss %s seconds %.1f holdout %s%n", fit.name(), (System.nanoTime() - start) / 1e9,
          holdoutMetrics(spark, fit));
    }
    System.exit(0);
  }

  private static Path writeConf(Path dir) throws Exception {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("nightjar.yaml"), """
        spark: {master: "local[2]", conf: {spark.sql.shuffle.partitions: "2", spark.ui.enabled: "false"}}
        warehouse: %s
        database: nightjar
        artifacts: %s
        reports: %s
        """.formatted(dir.resolve("warehouse"), dir.resolve("artifacts"), dir.resolve("reports")));
  }

  /** Demo data of one day: Friedman #1 with 20 features (regression, with a weight) and a binary label. */
  private static void writeData(SparkSession spark, Path data, long rows) {
    LocalDate day = LocalDate.of(2026, 1, 1);
    // A weight that varies with a feature, so that the weighted fit differs from the unweighted one.
    Dataset<Row> regression = DemoData.regression(spark, 0, rows, 42, day).drop("event_time")
        .withColumn("w", lit(0.5).plus(col("x1")));
    regression.write().format("delta").mode("overwrite").save(data.resolve("regression").toString());
    DemoData.classification(spark, 0, rows, 43, day).drop("event_time")
        .write().format("delta").mode("overwrite").save(data.resolve("classification").toString());
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
        """.formatted(fit.name(), fit.task(), data.resolve(fit.task()), weight, fit.candidate(), metric);
  }

  private static Map<String, Double> holdoutMetrics(SparkSession spark, Fit fit) {
    Row row = spark.table("nightjar." + RegistryTables.MODEL_VERSIONS)
        .where(col("model_name").equalTo("blas_" + fit.name())).select("holdout_metrics").first();
    return new TreeMap<>(row.getJavaMap(0));
  }
}
