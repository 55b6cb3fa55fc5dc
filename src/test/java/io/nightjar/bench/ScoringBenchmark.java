package io.nightjar.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;

import io.nightjar.TestSpark;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.data.DemoData;
import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.ScoreJob;
import io.nightjar.jobs.TrainJob;
import io.nightjar.model.Predictions;
import io.nightjar.monitoring.RunLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Row;

/**
 * Issue 6's scoring benchmark: {@code score} of N entities with a 100-tree, depth-6 XGBoost model
 * against, in the same JVM and on the same input table, the bare pipeline transform plus a plain
 * Delta write of the same rows. Each is run {@code repeat} times, alternating, so that the
 * machine's state changes hit both. Run with {@code jobs/bench/scoring.sh [ENTITIES] [REPEAT]
 * [--shuffled]}: by default the entity table is stored in id order, as entity tables usually are,
 * and each scored date's files keep disjoint id ranges; with {@code --shuffled} it is stored in
 * random order and {@code score} Z-orders every date it writes.
 */
public final class ScoringBenchmark {
  private ScoringBenchmark() {}

  public static void main(String[] args) throws Exception {
    long entities = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int repeat = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    // --shuffled: entities stored in random id order, so that score must lay each date out by id
    // (Z-order).
    boolean shuffled = args.length > 2 && "--shuffled".equals(args[2]);
    long trainingRows = 100_000L;
    Path dir = Files.createTempDirectory("nightjar-bench");
    JobContext context = TestSpark.context(dir, "bench");
    var spark = context.spark();
    context.warehouse().ensureDatabase("bench");
    LocalDate day = LocalDate.of(2024, 1, 1);
    long started = System.nanoTime();
    Benchmarks.write(context, "train", DemoData.regression(spark, 0, trainingRows, 42, day));
    var entityRows = DemoData.entities(spark, 0, entities, 7);
    Benchmarks.write(context, "entities", shuffled ? entityRows.orderBy(rand(11)) : entityRows);
    System.out.printf(
        "data: %d training rows, %d entities (%s) written in %.1f s%n",
        trainingRows,
        entities,
        shuffled ? "random id order" : "id order",
        Benchmarks.seconds(started));

    ModelSpec spec =
        SpecLoader.parse(
            """
            name: bench_scoring
            task: regression
            data: {training: {table: bench.train}, id: id, label: label, time: event_time, categorical: [segment]}
            candidates:
              - {family: gbt, engine: xgboost, loss: squared,
                 grid: {max_depth: [6], num_trees: [100], learning_rate: [0.1]}}
            tuning: {folds: 2, metric: rmse, holdout: 0.1, seed: 42}
            scoring: {input: {table: bench.entities}, output: predictions_bench, ttl: 7d}
            """,
            "benchmark spec",
            "bench");
    TrainJob.Outcome trained = Benchmarks.train(context, spec, day, t -> "");
    PipelineModel model = context.artifacts().load(trained.version());
    String bare = dir.resolve("bare").toString();

    for (int round = 1; round <= repeat; round++) {
      started = System.nanoTime();
      // The same rows score writes (the prediction table's columns, docs/tables.md, as constants
      // where score's are constants), without validation, atomic replacement of the date, the view,
      // the layout or the run bookkeeping.
      Timestamp now = new Timestamp(System.currentTimeMillis());
      Predictions.predict(model, Task.REGRESSION, spark.table("bench.entities"))
          .select(
              col("id"),
              col(Columns.PREDICTION),
              lit("bench_scoring").as("model_name"),
              lit(trained.version().version()).as("model_version"),
              lit("bare").as("run_id"),
              lit(Date.valueOf(day.plusDays(round))).as("score_date"),
              lit(now).as("scored_at"),
              lit(now).as("valid_until"),
              lit(1L).as("input_version"))
          .write()
          .format("delta")
          .mode("overwrite")
          .save(bare);
      double bareSeconds = Benchmarks.seconds(started);

      started = System.nanoTime();
      ScoreJob.Outcome scored = new ScoreJob(context).run(spec, null, day.plusDays(round));
      double scoreSeconds = Benchmarks.seconds(started);

      System.out.printf(
          "round %d: bare transform + Delta write %.1f s (%.0f rows/s); score %.1f s (%.0f rows/s);"
              + " ratio %.2f%n",
          round,
          bareSeconds,
          entities / bareSeconds,
          scoreSeconds,
          scored.rows() / scoreSeconds,
          scoreSeconds / bareSeconds);
      System.out.println("  score stages: " + stages(context));
      System.out.printf(
          "| %d | %.1f | %.0f | %.1f | %.0f | %.2f |%n",
          entities,
          bareSeconds,
          entities / bareSeconds,
          scoreSeconds,
          scored.rows() / scoreSeconds,
          scoreSeconds / bareSeconds);
    }
  }

  /** The stages of the latest score run, "name seconds" each. */
  private static String stages(JobContext context) {
    Row run =
        context
            .warehouse()
            .read(new TableName("bench", RunLog.TABLE))
            .where(col("job").equalTo("score"))
            .orderBy(col("started_at").desc())
            .first();
    StringBuilder out = new StringBuilder();
    for (Row stage : run.<Row>getList(run.fieldIndex("stages"))) {
      out.append(String.format("%s %.1fs  ", stage.getString(0), stage.getDouble(1)));
    }
    return out.toString().trim();
  }
}
