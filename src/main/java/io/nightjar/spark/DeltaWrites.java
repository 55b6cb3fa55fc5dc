package io.nightjar.spark;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.nightjar.config.Identifiers;
import java.time.LocalDate;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Delta writes that Nightjar's tables share. */
public final class DeltaWrites {
  private DeltaWrites() {}

  /**
   * Replaces the rows of the Delta table at {@code location} that match {@code predicate} with
   * {@code rows}, in one commit (Delta's {@code replaceWhere} overwrite; a row of {@code rows}
   * outside the predicate fails the write). Readers see either the old rows or the new ones, and a
   * rerun replaces instead of duplicating. Retried by {@link DeltaRetry} when a concurrent writer
   * wins; {@code what} names the write in its error ("write ...").
   */
  public static void replaceWhere(
      String what, Dataset<Row> rows, String location, String predicate) {
    DeltaRetry.run(
        what,
        () ->
            rows.write()
                .format("delta")
                .mode("overwrite")
                .option("replaceWhere", predicate)
                .save(location));
  }

  /**
   * The predicate that selects one model's rows of one date, for {@link #replaceWhere}: {@code
   * dateColumn = DATE 'date' AND modelColumn = 'model'}, the values quoted as SQL literals.
   */
  public static String modelOnDate(
      String dateColumn, LocalDate date, String modelColumn, String model) {
    return dateColumn
        + " = DATE "
        + Identifiers.literal(date.toString())
        + " AND "
        + modelColumn
        + " = "
        + Identifiers.literal(model);
  }

  /**
   * Inserts the rows of {@code rows} that match no row of the Delta table at {@code location}, in
   * one commit (Delta's {@code MERGE ... WHEN NOT MATCHED THEN INSERT}), and returns how many it
   * inserted. {@code match} is the SQL condition under which a new row {@code s} duplicates a row
   * {@code t} of the table, e.g. {@code t.id = s.id}. Not retried: when a concurrent commit wins it
   * throws {@link DeltaConcurrentModificationException}, since whether to give up or try again with
   * other rows is the caller's decision.
   */
  public static long insertIfAbsent(Dataset<Row> rows, String location, String match) {
    SparkSession spark = rows.sparkSession();
    String source = "nightjar_new_rows_" + UUID.randomUUID().toString().replace("-", "");
    rows.createOrReplaceTempView(source);
    try {
      Row result =
          spark
              .sql(
                  "MERGE INTO delta."
                      + Identifiers.quote(location)
                      + " t USING "
                      + source
                      + " s ON "
                      + match
                      + " WHEN NOT MATCHED THEN INSERT *")
              .first();
      return result.<Long>getAs("num_inserted_rows");
    } finally {
      spark.catalog().dropTempView(source);
    }
  }
}
