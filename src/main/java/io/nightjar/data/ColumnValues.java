package io.nightjar.data;

import static org.apache.spark.sql.functions.col;

import io.nightjar.config.ModelSpec;
import io.nightjar.config.Task;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Type checks of the label, weight and time columns, and the values that explain a wrong type. A
 * file source infers each column's type from its values (CSV with {@code inferSchema}), so one
 * value that is not a number makes the whole column text; the error then quotes that value, which
 * is what the user must fix. Examples are looked up only when a check fails.
 */
final class ColumnValues {
  private ColumnValues() {}

  /**
   * Checks that the label (unless {@code data.positive} maps it), the weight and the time column
   * have types the trainer can use; a text label or weight whose values are all numbers passes (it
   * is cast).
   *
   * @throws DataException naming the column, its type and a value that is not a number
   */
  static void checkTypes(ModelSpec spec, Dataset<Row> rows, String context) {
    var data = spec.data();
    if (data.positive() == null) {
      String label = data.label();
      String bad = notANumber(rows, label);
      DataException.check(
          bad == null,
          "%s: label column '%s' has type %s and its value '%s' is not a number; %s",
          context,
          label,
          type(rows, label).simpleString(),
          bad,
          spec.task() == Task.REGRESSION
              ? "a regression label must be numeric."
              : "classification labels are 0 and 1 unless data.positive names the value of the positive class.");
    }
    if (data.weight() != null) {
      String bad = notANumber(rows, data.weight());
      DataException.check(
          bad == null,
          "%s: weight column '%s' has type %s and its value '%s' is not a number; weights must be numbers >= 0.",
          context,
          data.weight(),
          type(rows, data.weight()).simpleString(),
          bad);
    }
    if (data.time() != null) {
      DataType type = type(rows, data.time());
      boolean usable =
          type instanceof NumericType
              || type instanceof DateType
              || type instanceof TimestampType
              || type instanceof TimestampNTZType;
      if (!usable) {
        // The example value costs a Spark job, so it is looked up only for the error.
        throw new DataException(
            String.format(
                "%s: time column '%s' (data.time) has type %s%s; it must be a date, a timestamp or a number. A CSV source"
                    + " infers timestamps written like 2024-05-01 10:00:00 and dates like 2024-05-01; for another format,"
                    + " set the source's timestampFormat or dateFormat option.",
                context, data.time(), type.simpleString(), example(rows, data.time())));
      }
    }
  }

  /**
   * Why a column that should be numeric is not, for an error message: {@code " (its value 'x' is
   * not a number)"}, {@code " (it has no values, so its type could not be inferred)"}, or empty
   * when neither applies.
   */
  static String whyNotNumeric(Dataset<Row> rows, String column) {
    String bad = notANumber(rows, column);
    if (bad != null) {
      return " (its value '" + bad + "' is not a number)";
    }
    boolean noValues = rows.where(col(column).isNotNull()).isEmpty();
    return noValues ? " (it has no values, so its type could not be inferred)" : "";
  }

  /**
   * A non-null value of {@code column} that does not read as a number, or null when every value
   * does.
   */
  private static String notANumber(Dataset<Row> rows, String column) {
    DataType type = type(rows, column);
    if (type instanceof NumericType || type instanceof BooleanType) {
      return null;
    }
    return first(
        rows.where(col(column).isNotNull().and(col(column).cast("double").isNull())), column);
  }

  private static String example(Dataset<Row> rows, String column) {
    String value = first(rows.where(col(column).isNotNull()), column);
    return value == null ? " (it has no values)" : " (e.g. '" + value + "')";
  }

  private static String first(Dataset<Row> rows, String column) {
    List<Row> found = rows.select(col(column).cast("string")).limit(1).collectAsList();
    return found.isEmpty() ? null : found.get(0).getString(0);
  }

  private static DataType type(Dataset<Row> rows, String column) {
    return rows.schema().apply(column).dataType();
  }
}
