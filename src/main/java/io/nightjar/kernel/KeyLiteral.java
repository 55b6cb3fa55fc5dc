package io.nightjar.kernel;

import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import java.util.Optional;

/**
 * A lookup key as a Kernel literal of its column's type. Kernel compares a literal with a column's
 * statistics only when both have the same type, so a key read as a {@link Long} becomes an int
 * literal for an int column.
 */
final class KeyLiteral {
  private KeyLiteral() {}

  /**
   * The literal of {@code key} for a column of {@code type}; empty when the key lies outside the
   * type's range (no row can hold it).
   *
   * @throws IllegalArgumentException when the key's kind does not fit the column (text for a
   *     number, a number for text, or a column type keys never have)
   */
  static Optional<Literal> of(DataType type, Object key) {
    if (type instanceof StringType) {
      if (!(key instanceof String text)) {
        throw mismatch(type, key);
      }
      return Optional.of(Literal.ofString(text));
    }
    if (!(key instanceof Long whole)) {
      throw mismatch(type, key);
    }
    long value = whole;
    if (type instanceof LongType) {
      return Optional.of(Literal.ofLong(value));
    } else if (type instanceof IntegerType) {
      return value == (int) value ? Optional.of(Literal.ofInt((int) value)) : Optional.empty();
    } else if (type instanceof ShortType) {
      return value == (short) value
          ? Optional.of(Literal.ofShort((short) value))
          : Optional.empty();
    } else if (type instanceof ByteType) {
      return value == (byte) value ? Optional.of(Literal.ofByte((byte) value)) : Optional.empty();
    }
    throw mismatch(type, key);
  }

  /** True when a value read from the key column (as {@link KernelRow} copies it) is {@code key}. */
  static boolean matches(Object value, Object key) {
    if (value == null) {
      return false;
    }
    if (key instanceof Long whole) {
      return value instanceof Number n && n.longValue() == whole;
    }
    return key.equals(value);
  }

  private static IllegalArgumentException mismatch(DataType type, Object key) {
    return new IllegalArgumentException(
        String.format(
            "Invalid key '%s' (%s) for a column of type %s: keys are whole numbers for byte,"
                + " short, int and bigint columns and text for string columns.",
            key, key.getClass().getSimpleName(), type));
  }
}
