package io.nightjar.online;

import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;

/**
 * Spark SQL's casts (non-ANSI mode, Spark 3.5's default) between the value types a {@link RowState}
 * holds, where the stages cast: to double (VectorAssembler, Imputer, OneHotEncoder), to string
 * (StringIndexer) and from double back to a column's own type (Imputer's output).
 */
final class SparkCasts {
  private SparkCasts() {}

  /** {@code CAST(value AS DOUBLE)} of a number; null stays null. */
  static Double toDouble(Object value) {
    return value == null ? null : ((Number) value).doubleValue();
  }

  /**
   * {@code CAST(value AS STRING)}: numbers print as Java does (Spark formats integers with {@code
   * toString} and floating point with {@code Float/Double.toString}); null stays null.
   */
  static String toText(Object value) {
    return value == null ? null : value.toString();
  }

  /**
   * {@code CAST(d AS type)} for a numeric {@code type}: integral types truncate toward 0 through
   * int (byte, short, int) or long, as Scala's {@code toInt}/{@code toLong} do.
   */
  static Object fromDouble(double d, DataType type) {
    if (type instanceof DoubleType) {
      return d;
    }
    if (type instanceof FloatType) {
      return (float) d;
    }
    if (type instanceof LongType) {
      return (long) d;
    }
    if (type instanceof IntegerType) {
      return (int) d;
    }
    if (type instanceof ShortType) {
      return (short) (int) d;
    }
    if (type instanceof ByteType) {
      return (byte) (int) d;
    }
    throw new IllegalArgumentException("Cannot cast a double to " + type.simpleString());
  }

  /** Whether values of {@code type} cast to double (numbers; booleans are doubles already). */
  static boolean isNumber(DataType type) {
    return type instanceof NumericType && !(type instanceof DecimalType);
  }

  /** Whether values of {@code type} cast to string as {@link #toText} does. */
  static boolean isText(DataType type) {
    return type instanceof StringType || isNumber(type);
  }
}
