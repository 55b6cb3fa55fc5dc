package io.nightjar.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads the lower-case config spelling of an enum constant, e.g. {@code halving} for {@code
 * HALVING}.
 */
public final class Choices {
  private Choices() {}

  public static <E extends Enum<E>> E parse(String key, String text, Class<E> type) {
    for (E constant : type.getEnumConstants()) {
      if (name(constant).equals(text)) {
        return constant;
      }
    }
    throw new ConfigException(
        String.format("Invalid value for '%s': '%s'. Valid values: %s.", key, text, valid(type)));
  }

  /** The config spelling of a constant. */
  public static String name(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  public static String valid(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(Choices::name)
        .collect(Collectors.joining(", "));
  }
}
