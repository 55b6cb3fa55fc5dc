package io.nightjar.online;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * Reads a request's raw feature values as the values a Spark row of the training schema would hold,
 * so that the compiled stages see what the batch pipeline sees: a whole number for an integer
 * column (boxed as the column's type), a number for a float or double column (rounded to float for
 * a float column, as the table would store it), a boolean as 0/1 (Nightjar feeds boolean features
 * to the pipeline as doubles: {@code TrainingFrame.featureColumn}), text for a string column.
 * Values come from Jackson (Integer, Long, BigInteger, Double, BigDecimal, Boolean, String) or from
 * Spark rows (also Byte, Short, Float).
 */
final class FeatureValues {
  private FeatureValues() {}

  /**
   * The input of {@code field}, or an exception naming it when its type cannot be read from a
   * request.
   */
  static FeatureInput input(StructField field) {
    DataType type = field.dataType();
    FeatureKind kind;
    if (type instanceof ByteType
        || type instanceof ShortType
        || type instanceof IntegerType
        || type instanceof LongType) {
      kind = FeatureKind.INTEGER;
    } else if (type instanceof FloatType || type instanceof DoubleType) {
      kind = FeatureKind.NUMBER;
    } else if (type instanceof BooleanType) {
      kind = FeatureKind.BOOLEAN;
    } else if (type instanceof StringType) {
      kind = FeatureKind.STRING;
    } else {
      throw new UnsupportedStageException(
          String.format(
              "Cannot score feature '%s' online: its column type is %s; online scoring reads"
                  + " byte, short, int, bigint, float, double, boolean and string features (cast"
                  + " decimal, date and timestamp columns to one of those before training).",
              field.name(), type.simpleString()));
    }
    return new FeatureInput(field.name(), kind, type.simpleString());
  }

  /** The type of the column the pipeline reads for {@code field}: booleans become doubles. */
  static DataType modelType(StructField field) {
    return field.dataType() instanceof BooleanType ? DataTypes.DoubleType : field.dataType();
  }

  /**
   * {@code value} read as {@code input}'s kind and type; null stays null (a missing value).
   *
   * @throws RowInputException naming the feature, the value and what is valid
   */
  static Object read(FeatureInput input, Object value) {
    if (value == null) {
      return null;
    }
    return switch (input.kind()) {
      case STRING -> {
        if (value instanceof String text) {
          yield text;
        }
        throw invalid(input, value, "text");
      }
      case BOOLEAN -> {
        if (value instanceof Boolean flag) {
          yield flag ? 1.0 : 0.0;
        }
        throw invalid(input, value, "true or false");
      }
      case NUMBER -> {
        if (!(value instanceof Number number)) {
          throw invalid(input, value, "a number");
        }
        double d = number.doubleValue();
        yield input.sparkType().equals("float") ? (Object) (float) d : (Object) d;
      }
      case INTEGER -> integer(input, value);
    };
  }

  private static Object integer(FeatureInput input, Object value) {
    String what = "a whole number that fits a " + input.sparkType() + " column";
    BigInteger whole = wholeNumber(value);
    if (whole == null) {
      throw invalid(input, value, what);
    }
    try {
      return switch (input.sparkType()) {
        case "tinyint" -> whole.byteValueExact();
        case "smallint" -> whole.shortValueExact();
        case "int" -> whole.intValueExact();
        default -> whole.longValueExact();
      };
    } catch (ArithmeticException e) {
      throw invalid(input, value, what);
    }
  }

  /** {@code value} as a whole number, or null when it is not a number without a fraction. */
  private static BigInteger wholeNumber(Object value) {
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return BigInteger.valueOf(((Number) value).intValue());
    }
    if (value instanceof Long l) {
      return BigInteger.valueOf(l);
    }
    if (value instanceof BigInteger big) {
      return big;
    }
    BigDecimal decimal;
    if (value instanceof BigDecimal d) {
      decimal = d;
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return null;
      }
      decimal = BigDecimal.valueOf(d);
    } else {
      return null;
    }
    try {
      return decimal.toBigIntegerExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static RowInputException invalid(FeatureInput input, Object value, String valid) {
    String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
    return new RowInputException(
        input.name(),
        String.format(
            "Invalid value for feature '%s': %s (%s); it is a %s column, so use %s, or null for a"
                + " missing value.",
            input.name(), shown, value.getClass().getSimpleName(), input.sparkType(), valid));
  }
}
