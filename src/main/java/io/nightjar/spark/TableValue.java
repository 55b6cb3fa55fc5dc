package io.nightjar.spark;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum whose constants a table column stores: each constant has the spelling the table holds
 * ({@link #sqlName}), fixed once rows are written, whatever the constant is called in Java. Code
 * compares constants; only the table's owner class turns them into text and back.
 */
public interface TableValue {
  /**
   * This constant's spelling in the table: its name in lower case, as config spellings are. Rows
   * keep the spelling, so a constant renamed in Java overrides this to return its old one
   * (TableValueTest pins every spelling).
   */
  default String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant's name in Java ({@link Enum#name}). */
  String name();

  /**
   * The constant of {@code type} that {@code column} spells {@code value}.
   *
   * @throws IllegalStateException for a spelling no constant has (a row that Nightjar did not
   *     write)
   */
  static <E extends Enum<E> & TableValue> E fromSql(Class<E> type, String column, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.sqlName().equals(value)) {
        return constant;
      }
    }
    throw new IllegalStateException(
        String.format(
            "Invalid value in column '%s': '%s'. Valid values: %s.",
            column,
            value,
            Arrays.stream(type.getEnumConstants())
                .map(TableValue::sqlName)
                .collect(Collectors.joining(", "))));
  }
}
