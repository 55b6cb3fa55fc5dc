package io.nightjar.config;

/**
 * A configuration or usage error: a bad key, value, spec file or command argument. Maps to exit
 * code 2. The message is one sentence that names the offending key or value and says what would be
 * valid.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Throws a {@link ConfigException} with the formatted message when {@code test} is false. */
  public static void check(boolean test, String format, Object... args) {
    if (!test) {
      throw new ConfigException(String.format(format, args));
    }
  }
}
