package io.nightjar.model;

import java.util.Properties;
import java.util.function.BiFunction;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;

/**
 * The switches of tuning that are not part of a spec, with their keys and defaults: two JVM system
 * properties (benchmarks set them with {@code -D}) and two Spark settings (set with {@code --conf}
 * or in the session). A search reads them once, when it starts ({@link #read(SparkSession)}).
 *
 * @param concurrentFits folds fitted at once ({@value #CONCURRENT_FITS}); null: one per task slot,
 *     at most one per fold
 * @param regularisationPath whether a linear candidate follows the regularisation path ({@value
 *     #REGULARISATION_PATH})
 * @param inMemoryLimit the largest total size of the folds held in memory for native XGBoost fits,
 *     a Spark byte string such as {@code 256m}; {@code 0} turns fits in memory off ({@value
 *     #IN_MEMORY_LIMIT})
 * @param earlyStopping whether fits in memory may stop early ({@value #EARLY_STOPPING})
 */
public record TuningOptions(
    Integer concurrentFits,
    boolean regularisationPath,
    String inMemoryLimit,
    boolean earlyStopping) {
  /**
   * JVM system property: how many folds are fitted at once (the benchmark compares 1 and 2 with
   * it).
   */
  public static final String CONCURRENT_FITS = "nightjar.tuning.concurrentFits";

  /**
   * JVM system property: {@code false} fits each {@code reg_param} from scratch (the linear tuning
   * benchmark).
   */
  public static final String REGULARISATION_PATH = "nightjar.tuning.regularisationPath";

  /** Spark setting: the limit on the folds' total size in memory. */
  public static final String IN_MEMORY_LIMIT = "spark.nightjar.tuning.inMemoryLimit";

  /**
   * Spark setting: {@code false} turns early stopping off, e.g. to have a metric for every point of
   * the grid.
   */
  public static final String EARLY_STOPPING = "spark.nightjar.tuning.earlyStopping";

  public static final boolean DEFAULT_REGULARISATION_PATH = true;
  public static final String DEFAULT_IN_MEMORY_LIMIT = "256m";
  public static final boolean DEFAULT_EARLY_STOPPING = true;

  /** Every switch at its default. */
  public static final TuningOptions DEFAULTS =
      new TuningOptions(
          null, DEFAULT_REGULARISATION_PATH, DEFAULT_IN_MEMORY_LIMIT, DEFAULT_EARLY_STOPPING);

  /** The switches of this JVM and {@code spark}'s session settings. */
  public static TuningOptions read(SparkSession spark) {
    return read(System.getProperties(), spark.conf()::get);
  }

  /**
   * The switches in {@code system} (JVM system properties) and {@code sparkConf} (a setting's
   * value, or the default given). An unparsable {@value #CONCURRENT_FITS} counts as not set, as
   * {@link Integer#getInteger} has it; the limit is parsed only when used ({@link
   * #inMemoryLimitBytes}), so a bad value fails only the fits it concerns.
   */
  public static TuningOptions read(
      Properties system, BiFunction<String, String, String> sparkConf) {
    return new TuningOptions(
        integer(system.getProperty(CONCURRENT_FITS)),
        Boolean.parseBoolean(
            system.getProperty(REGULARISATION_PATH, String.valueOf(DEFAULT_REGULARISATION_PATH))),
        sparkConf.apply(IN_MEMORY_LIMIT, DEFAULT_IN_MEMORY_LIMIT),
        Boolean.parseBoolean(
            sparkConf.apply(EARLY_STOPPING, String.valueOf(DEFAULT_EARLY_STOPPING)).trim()));
  }

  /** {@link #inMemoryLimit} in bytes. */
  public long inMemoryLimitBytes() {
    return JavaUtils.byteStringAsBytes(inMemoryLimit);
  }

  private static Integer integer(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Integer.decode(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
