package io.nightjar.config;

/**
 * Config errors that several checks share, built in one place so that each sentence is written
 * once: the key path that is wrong, and what would be valid. Each method returns the exception for
 * the caller to throw.
 */
public final class ConfigErrors {
  private ConfigErrors() {}

  /** A required key is absent (or blank). */
  public static ConfigException missingKey(String path) {
    return new ConfigException(String.format("Missing required key '%s'.", path));
  }

  /** A required key that takes one of a set of names is absent; {@code valid} lists them. */
  public static ConfigException missingChoice(String path, String valid) {
    return new ConfigException(
        String.format("Missing required key '%s'. Valid values: %s.", path, valid));
  }

  /** The value at {@code path} should be a nested mapping. */
  public static ConfigException notAMapping(String path) {
    return new ConfigException(
        String.format("Invalid value for '%s': expected a mapping of keys to values.", path));
  }
}
