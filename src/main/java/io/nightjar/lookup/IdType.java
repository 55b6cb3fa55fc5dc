package io.nightjar.lookup;

import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;

/**
 * The kinds of entity id the lookup cache can hold, and how an id from a request path is read for
 * each: whole numbers (Spark's byte, short, int and bigint, kept as {@code long}) and strings. Ids
 * are only ever map keys, never SQL.
 */
public enum IdType {
  BYTE(ByteType.class, Byte.MIN_VALUE, Byte.MAX_VALUE),
  SHORT(ShortType.class, Short.MIN_VALUE, Short.MAX_VALUE),
  INT(IntegerType.class, Integer.MIN_VALUE, Integer.MAX_VALUE),
  LONG(LongType.class, Long.MIN_VALUE, Long.MAX_VALUE),
  STRING(StringType.class, 0, 0);

  private final Class<? extends DataType> sparkType;
  private final long min;
  private final long max;

  IdType(Class<? extends DataType> sparkType, long min, long max) {
    this.sparkType = sparkType;
    this.min = min;
    this.max = max;
  }

  /** True for the whole-number kinds, whose ids the cache keeps as {@code long}. */
  public boolean integral() {
    return this != STRING;
  }

  /** The kind of a Spark id column, or null when the cache cannot hold ids of that type. */
  public static IdType of(DataType type) {
    for (IdType kind : values()) {
      if (kind.sparkType.isInstance(type)) {
        return kind;
      }
    }
    return null;
  }

  /**
   * Reads an id as it appears in a request: a {@link Long} for the whole-number kinds, the text
   * itself for strings.
   *
   * @throws IllegalArgumentException with a one-sentence reason when the text is not an id of this
   *     kind
   */
  public Object parse(String text) {
    if (this == STRING) {
      return text;
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid id '%s': this model's ids are whole numbers (%s).",
              text, name().toLowerCase()));
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid id '%s': this model's ids are %s, from %d to %d.",
              text, name().toLowerCase(), min, max));
    }
    return value;
  }
}
