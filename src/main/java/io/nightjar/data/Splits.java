package io.nightjar.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.nightjar.config.ModelSpec;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The holdout and the cross-validation folds. Both are functions of each row's id and the seed (a
 * hash), not of partitioning or row order, so a rerun, a reproduction or the promotion gate sees
 * exactly the same rows. With a time column the holdout is the latest rows instead of a random
 * share.
 */
public record Splits(Dataset<Row> tuning, Dataset<Row> holdout, int folds, String timeColumn) {
  private static final int BUCKETS = 10_000;

  /**
   * The split {@code spec} defines of {@code rows}: by {@code data.id} (or the latest rows by
   * {@code data.time}), with {@code tuning.holdout}, {@code tuning.folds} and {@code tuning.seed}.
   * Training, its reproduction, the holdout diagnostics and the promotion gate all split through
   * here.
   */
  public static Splits of(ModelSpec spec, Dataset<Row> rows) {
    var data = spec.data();
    var tuning = spec.tuning();
    return of(rows, data.id(), data.time(), tuning.holdout(), tuning.folds(), tuning.seed());
  }

  /** Adds {@link Columns#FOLD} (0..folds-1) to the tuning rows and sets the holdout rows apart. */
  public static Splits of(
      Dataset<Row> rows,
      String idColumn,
      String timeColumn,
      double holdoutShare,
      int folds,
      long seed) {
    Column isHoldout;
    if (timeColumn != null) {
      isHoldout = latest(rows, timeColumn, holdoutShare);
    } else {
      Column bucket = pmod(xxhash64(col(idColumn).cast("string"), lit(seed)), lit(BUCKETS));
      isHoldout = bucket.lt(Math.round(holdoutShare * BUCKETS));
    }
    Column fold =
        pmod(xxhash64(col(idColumn).cast("string"), lit(seed + 1)), lit(folds)).cast("int");
    Dataset<Row> holdout = rows.where(isHoldout);
    Dataset<Row> tuning = rows.where(isHoldout.unary_$bang()).withColumn(Columns.FOLD, fold);
    return new Splits(tuning, holdout, folds, timeColumn);
  }

  private static Column latest(Dataset<Row> rows, String timeColumn, double holdoutShare) {
    var type = rows.schema().apply(timeColumn).dataType();
    Column time =
        type instanceof DateType
                || type instanceof TimestampType
                || type instanceof TimestampNTZType
            ? col(timeColumn).cast("timestamp").cast("double")
            : col(timeColumn).cast("double");
    double[] cutoff =
        rows.select(time.as("t"))
            .stat()
            .approxQuantile(new String[] {"t"}, new double[] {1 - holdoutShare}, 1e-4)[0];
    DataException.check(
        cutoff.length == 1,
        "Cannot split on time column '%s': it has no non-null values.",
        timeColumn);
    return time.gt(cutoff[0]);
  }

  /**
   * Checks that the holdout and every fold have rows.
   *
   * @throws DataException saying how many rows there are and how many the folds need
   */
  public void requireRows(String model, long totalRows) {
    long holdoutRows = holdout.count();
    DataException.check(
        holdoutRows > 0 || timeColumn == null,
        "Cannot train model '%s': no row is later than the others in time column '%s' (data.time), so there are no"
            + " latest rows to hold out; it needs distinct times, or remove data.time for a random holdout.",
        model,
        timeColumn);
    List<Row> perFold = tuning.groupBy(Columns.FOLD).count().collectAsList();
    DataException.check(
        holdoutRows > 0 && perFold.size() == folds,
        "Cannot train model '%s': %d rows are too few for a holdout and %d folds (the holdout has %d rows and %d of"
            + " %d folds have rows); add rows, lower tuning.folds or raise tuning.holdout.",
        model,
        totalRows,
        folds,
        holdoutRows,
        perFold.size(),
        folds);
  }
}
