package io.nightjar.bench;

import io.nightjar.TestSpark;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.data.Splits;
import io.nightjar.data.TrainingFrame;
import io.nightjar.model.FeaturePlan;
import io.nightjar.tuning.KFoldSearch;
import io.nightjar.tuning.Trial;
import io.nightjar.tuning.TuningListener;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The k-fold search of one spec on local Spark, without Delta, refit or bookkeeping: what the
 * search benchmarks time, one variant against another in one JVM. The tuning rows (after the
 * holdout) are prepared and cached once.
 */
final class SearchBench {
  private final int rounds;
  private final ModelSpec spec;
  private final FeaturePlan plan;
  private final Dataset<Row> tuning;

  /**
   * Prepares {@code rows(spark, ROWS)} for {@code specYaml} (folds and holdout from its {@code
   * tuning}), from a search benchmark's arguments {@code [ROWS] [ROUNDS]}: 100,000 rows and {@code
   * defaultRounds} rounds when left out.
   */
  SearchBench(
      String[] args,
      int defaultRounds,
      String specYaml,
      BiFunction<SparkSession, Long, Dataset<Row>> rows)
      throws IOException {
    long count = args.length > 0 ? Long.parseLong(args[0]) : 100_000L;
    rounds = args.length > 1 ? Integer.parseInt(args[1]) : defaultRounds;
    SparkSession spark =
        TestSpark.context(Files.createTempDirectory("nightjar-bench"), "bench").spark();
    spec = SpecLoader.parse(specYaml, "benchmark spec", "bench");
    Dataset<Row> raw = rows.apply(spark, count).persist(StorageLevel.MEMORY_AND_DISK());
    TrainingFrame frame = TrainingFrame.prepare(spec, raw);
    tuning = Splits.of(spec, frame.rows()).tuning().persist(StorageLevel.MEMORY_AND_DISK());
    tuning.count();
    plan = FeaturePlan.of(frame.features(), frame.categorical());
  }

  /** The rounds asked for: each round runs every variant once, alternating as the load drifts. */
  int rounds() {
    return rounds;
  }

  /**
   * Runs the search once with {@code setting} set to {@code value} (a Spark setting when it starts
   * with {@code spark.}, else a JVM option); prints and returns the trials.
   */
  List<Trial> run(String label, String setting, String value) {
    boolean spark = setting.startsWith("spark.");
    if (spark) {
      SparkSession.active().conf().set(setting, value);
    } else {
      System.setProperty(setting, value);
    }
    try {
      long started = System.nanoTime();
      List<Trial> trials =
          new KFoldSearch(spec, plan, false, List.of())
              .run(tuning, spec.tuning().folds(), TuningListener.NONE)
              .trials();
      double best =
          trials.stream()
              .filter(Trial::done)
              .map(Trial::mean)
              .min(spec.tuning().metric().bestFirst())
              .orElse(Double.NaN);
      System.out.printf(
          "%s: %.1f s, %d trials (%d pruned), best cv %s %.5f%n",
          label,
          (System.nanoTime() - started) / 1e9,
          trials.size(),
          trials.stream().filter(t -> !t.done()).count(),
          spec.tuning().metric().name().toLowerCase(Locale.ROOT),
          best);
      return trials;
    } finally {
      if (spark) {
        SparkSession.active().conf().unset(setting);
      } else {
        System.clearProperty(setting);
      }
    }
  }
}
